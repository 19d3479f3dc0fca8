// Sharing a figure: the link to its full view, its picture as a PNG, and the
// clipboard (the figure's "copy link" and the editor's "copy as Markdown").
// Stateless: each function reads what it is given and keeps nothing.

/**
 * Put `text` on the clipboard.  Browsers refuse without a secure context or the
 * reader's permission, so the caller must be ready to show the text instead.
 *
 * @param {string} text
 * @returns {Promise<boolean>} whether the text is on the clipboard
 */
export async function copyText(text) {
  if (typeof navigator === "undefined" || !navigator.clipboard || !navigator.clipboard.writeText) return false;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (err) {
    return false;
  }
}

/**
 * `app.html#…` next to the viewer's assets: the full view of the figure `el`.
 * It opens the same scene file at once (`scene=`, resolved against this page) and
 * carries the spec (`mm=`) for recomputing and sharing.  After a reader's edit
 * there is no file for the scene: the spec alone travels.
 *
 * @param {HTMLElement} el the figure element (data-mm-scene, data-mm-spec)
 * @param {URL|string} assetsBase where mm-viewer.js (and app.html) are served from
 * @param {boolean} edited whether the figure shows a scene computed in the browser
 * @returns {string}
 */
export function fullViewHref(el, assetsBase, edited) {
  const spec = el.getAttribute("data-mm-spec") || "";
  const sceneAttr = edited ? "" : el.getAttribute("data-mm-scene") || "";
  let scene = sceneAttr;
  try {
    scene = sceneAttr && new URL(sceneAttr, document.baseURI).href;
  } catch (err) {
    scene = sceneAttr;
  }
  const fragment = (scene ? "#scene=" + encodeURIComponent(scene) + "&mm=" : "#mm=") + spec;
  try {
    return new URL("app.html", assetsBase).href + fragment;
  } catch (err) {
    return "app.html" + fragment;
  }
}

/**
 * Download what `canvas` shows, with the legends painted over it (they are DOM
 * text, not in the canvas), as `name`.
 *
 * @param {HTMLCanvasElement} canvas the figure's canvas (device pixels)
 * @param {import("./labels.js").Labels} labels the figure's legends, as shown now
 * @param {number} cssWidth the canvas's width in CSS pixels (legends are placed in those)
 * @param {string} name the file name, e.g. "fig-1.png"
 * @param {HTMLElement} parent where the temporary download link goes
 */
export function downloadPng(canvas, labels, cssWidth, name, parent) {
  const out = document.createElement("canvas");
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext("2d");
  ctx.drawImage(canvas, 0, 0);
  if (cssWidth > 0) labels.paint(ctx, canvas.width / cssWidth);
  out.toBlob((blob) => {
    if (!blob) return;
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.hidden = true;
    parent.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }, "image/png");
}
