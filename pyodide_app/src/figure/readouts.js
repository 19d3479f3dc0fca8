// The read-out table beside a figure (mm_docs_plugin/readouts_html.py writes the
// page's; this rebuilds it after a live edit).  The rows, words and digits come from
// the scene header's `readouts` (core/scene/readouts.py `table_rows`): nothing here
// computes or formats a number.  Text goes in as textContent, never as HTML.

export const CAPTION = "Read-outs of the figure above, computed from its values";
const HEAD = ["matrix", "read-out", "value"];

/**
 * Plain rows of the table: [ref, node, label, text] for each row of each node.
 * @param {Array<{node: string, rows: Array<{ref: string, label: string, text: string}>}>} readouts
 */
export function tableRows(readouts) {
  const out = [];
  for (const r of readouts || []) for (const row of r.rows || []) out.push([row.ref, r.node, row.label, row.text]);
  return out;
}

/**
 * Show `readouts` in the table after `figureEl` (`#<id>-readouts`), making it when the
 * page has none; hide it when the scene has no read-outs.
 * @param {HTMLElement} figureEl
 * @param {Array|undefined} readouts the header's `readouts`
 * @returns {HTMLElement|null} the table's container
 */
export function showReadouts(figureEl, readouts) {
  const rows = tableRows(readouts);
  const id = figureEl.id;
  let box = id ? document.getElementById(id + "-readouts") : null;
  if (!box) {
    if (!rows.length) return null;
    box = document.createElement("div");
    box.className = "mm-readouts";
    if (id) {
      box.id = id + "-readouts";
      box.setAttribute("data-mm-for", id);
    }
    figureEl.after(box);
  }
  box.hidden = rows.length === 0;
  // The figure points at its numbers (aria-details), as figure_html.py writes it.
  if (box.id && !box.hidden) figureEl.setAttribute("aria-details", box.id);
  else figureEl.removeAttribute("aria-details");
  const table = document.createElement("table");
  table.className = "mm-readouts-table"; // themes style bare tables only (readouts_html.py)
  const caption = table.createCaption();
  caption.textContent = CAPTION;
  const headRow = table.createTHead().insertRow();
  for (const h of HEAD) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    headRow.appendChild(th);
  }
  const body = table.createTBody();
  for (const [ref, node, label, text] of rows) {
    const tr = body.insertRow();
    tr.setAttribute("data-mm-ref", ref);
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = node;
    tr.appendChild(th);
    tr.insertCell().textContent = label;
    tr.insertCell().textContent = text;
  }
  box.replaceChildren(table);
  return box;
}
