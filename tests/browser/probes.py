"""Page probes injected with ``context.add_init_script`` before any page script runs."""

from __future__ import annotations

# Wraps EventTarget.prototype.add/removeEventListener and keeps the listeners the
# viewer bundle added (told by the call stack naming mm-viewer.js) and has not
# removed.  ``window.__mmListeners()`` counts them by "target:type", over targets
# that outlive a page swap (window, document, media queries) and elements still
# in the document; listeners on detached elements go with them and are not counted.
LISTENER_PROBE = """
(() => {
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  const active = [];
  const capture = (o) => Boolean(typeof o === "boolean" ? o : o && o.capture);
  const same = (e, target, type, fn, options) =>
    e.target === target && e.type === type && e.fn === fn && e.capture === capture(options);
  EventTarget.prototype.addEventListener = function (type, fn, options) {
    const stack = new Error().stack || "";
    if (fn && stack.includes("/mm-viewer.js") && !active.some((e) => same(e, this, type, fn, options))) {
      active.push({ target: this, type, fn, capture: capture(options) });
    }
    return add.call(this, type, fn, options);
  };
  EventTarget.prototype.removeEventListener = function (type, fn, options) {
    const i = active.findIndex((e) => same(e, this, type, fn, options));
    if (i >= 0) active.splice(i, 1);
    return remove.call(this, type, fn, options);
  };
  window.__mmListeners = () => {
    const out = {};
    for (const e of active) {
      const t = e.target;
      let name = null;
      if (t === window) name = "window";
      else if (t === document) name = "document";
      else if (typeof MediaQueryList !== "undefined" && t instanceof MediaQueryList) name = "media";
      else if (t instanceof Node && t.isConnected) name = "node";
      if (name === null) continue;
      const key = name + ":" + e.type;
      out[key] = (out[key] || 0) + 1;
    }
    return out;
  };
})();
"""


def viewer_listeners(page) -> dict:
    """{"target:type": count} of the viewer's live listeners (needs LISTENER_PROBE)."""
    return page.evaluate("window.__mmListeners()")
