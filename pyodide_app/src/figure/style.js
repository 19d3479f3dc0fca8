// How a figure's values look: the colour range each node is normalised over.

/**
 * (absmin, absmax) of |x| that node `path` is coloured over under sensitivity `mode`,
 * as the scene header ships it: `color_ranges[mode][path]`, computed once by the
 * Python core (core/colors.py `ranges_by_sensitivity`).  Nothing is recomputed
 * here, so a reader's sensitivity switch costs no pass over the values.  A mode the
 * header does not list (none given) falls back to `ranges[path]`, the node's range
 * under the sensitivity it was built with.
 *
 * @param {object} header a decoded scene header (`ranges`, `color_ranges`)
 * @param {string} path a node's path, e.g. "root.left"
 * @param {string} [mode] "global" | "semilocal" | "local" | "superlocal"
 * @returns {number[]} [absmin, absmax]; [0, 0] for a node the header does not know
 */
export function colorRange(header, path, mode) {
  const table = header.color_ranges && header.color_ranges[mode];
  if (table && table[path]) return table[path];
  return (header.ranges && header.ranges[path]) || [0, 0];
}
