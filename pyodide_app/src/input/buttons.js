// Toolbar buttons: an icon (stroked SVG paths, never emoji: fonts may lack them)
// or text, with an aria-label and a tooltip.  Used by the figure's toolbar
// (controls.js) and the animation's control bar (anim/playbar.js).

const SVG_NS = "http://www.w3.org/2000/svg";

/** The icons: stroked paths on a 24-unit grid. */
const ICONS = {
  reset: "M4.5 12a7.5 7.5 0 1 0 2.2-5.3M4.5 4v4.5H9",
  fit: "M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5",
  save: "M12 4v11M7 10l5 5 5-5M5 20h14",
  link: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
  open: "M14 4h6v6M20 4l-9 9M18 14v6H4V6h6",
  edit: "M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4",
  play: "M7 4.5v15l12-7.5z",
  pause: "M8 5v14M16 5v14",
  back: "M18 6l-8 6 8 6M7 6v12",
  forward: "M6 6l8 6-8 6M17 6v12",
  more: "M5 12h.01M12 12h.01M19 12h.01",
};

/** An SVG icon from ICONS. */
export function icon(name) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", ICONS[name]);
  path.setAttribute("fill", "none");
  path.setAttribute("stroke", "currentColor");
  path.setAttribute("stroke-width", "2");
  path.setAttribute("stroke-linecap", "round");
  path.setAttribute("stroke-linejoin", "round");
  svg.appendChild(path);
  return svg;
}

/** Point `b`'s icon at ICONS[name]. */
export function setIcon(b, name) {
  const path = b.querySelector("svg path");
  if (path) path.setAttribute("d", ICONS[name]);
}

/** A toolbar button: an icon (a key of ICONS) or text, with an aria-label and a tooltip. */
export function button(label, content, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "mm-button";
  b.setAttribute("aria-label", label);
  b.title = label;
  if (ICONS[content]) b.appendChild(icon(content));
  else b.textContent = content;
  b.addEventListener("click", onClick);
  return b;
}
