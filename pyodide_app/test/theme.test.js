// theme.js: the page-theme decision (pure), and the watcher's lifecycle against a
// stubbed document (one observer and one media listener while anyone listens).

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DEFAULT_DARK_SCHEMES,
  THEMES,
  applyTheme,
  decideTheme,
  onThemeChange,
  parseSchemes,
  watching,
} from "../src/figure/theme.js";

test("Material's scheme decides: dark iff listed in the dark schemes", () => {
  const dark = ["slate", "midnight"];
  assert.equal(decideTheme({ scheme: "slate", darkSchemes: dark }), "dark");
  assert.equal(decideTheme({ scheme: "midnight", darkSchemes: dark }), "dark");
  assert.equal(decideTheme({ scheme: "default", darkSchemes: dark }), "light");
  assert.equal(decideTheme({ scheme: "paper", darkSchemes: dark }), "light"); // a custom light one
  // The scheme wins over the reader's preference and over a bootstrap attribute.
  assert.equal(decideTheme({ scheme: "default", darkSchemes: dark, prefersDark: true }), "light");
  assert.equal(decideTheme({ scheme: "slate", darkSchemes: dark, prefersDark: false, bsTheme: "light" }), "dark");
  // Names are compared exactly (Material's are case-sensitive attribute values).
  assert.equal(decideTheme({ scheme: "Slate", darkSchemes: dark }), "light");
  assert.equal(decideTheme({ scheme: " slate ", darkSchemes: dark }), "dark");
});

test("the default dark schemes are just slate", () => {
  assert.deepEqual([...DEFAULT_DARK_SCHEMES], ["slate"]);
  assert.equal(decideTheme({ scheme: "slate" }), "dark");
  assert.equal(decideTheme({ scheme: "midnight" }), "light");
  assert.equal(decideTheme({ scheme: "default" }), "light");
  assert.equal(decideTheme(), "light");
});

test("without a Material scheme: MkDocs' data-bs-theme, else prefers-color-scheme", () => {
  for (const scheme of [null, undefined, "", "  "]) {
    assert.equal(decideTheme({ scheme, prefersDark: true }), "dark");
    assert.equal(decideTheme({ scheme, prefersDark: false }), "light");
  }
  assert.equal(decideTheme({ bsTheme: "dark", prefersDark: false }), "dark");
  assert.equal(decideTheme({ bsTheme: "light", prefersDark: true }), "light");
  assert.equal(decideTheme({ bsTheme: "auto", prefersDark: true }), "dark");
  assert.equal(decideTheme({ bsTheme: "auto", prefersDark: false }), "light");
});

test("parseSchemes: the script attribute, space-separated; absent means the default", () => {
  assert.deepEqual(parseSchemes("slate midnight"), ["slate", "midnight"]);
  assert.deepEqual(parseSchemes("  slate\tmidnight  ink "), ["slate", "midnight", "ink"]);
  assert.deepEqual(parseSchemes(null), ["slate"]);
  assert.deepEqual(parseSchemes(undefined), ["slate"]);
  assert.deepEqual(parseSchemes(""), []); // dark_schemes: [] — nothing is dark
  assert.equal(decideTheme({ scheme: "slate", darkSchemes: parseSchemes("") }), "light");
});

test("the palettes: the stage colours", () => {
  assert.equal(THEMES.dark.paper, 0x000000);
  assert.equal(THEMES.light.paper, 0xfafafa);
});

// ------------------------------------------------------------------ a stubbed page

function stubPage() {
  const attrs = { body: {}, html: {}, script: { "data-mm-dark-schemes": "slate midnight" } };
  const element = (name) => ({
    getAttribute: (k) => (k in attrs[name] ? attrs[name][k] : null),
    setAttribute: (k, v) => {
      attrs[name][k] = String(v);
    },
    removeAttribute: (k) => {
      delete attrs[name][k];
    },
  });
  const page = {
    observers: [],
    mediaListeners: new Set(),
    prefersDark: false,
    body: element("body"),
    html: element("html"),
    /** Change an attribute and deliver the mutation like the browser would. */
    set(which, key, value) {
      page[which].setAttribute(key, value);
      for (const o of page.observers) if (o.live) o.fn([{ attributeName: key }]);
    },
    setPrefersDark(value) {
      page.prefersDark = value;
      for (const fn of page.mediaListeners) fn({ matches: value });
    },
  };
  globalThis.document = {
    body: page.body,
    documentElement: page.html,
    querySelector: (sel) => (sel === "script[data-mm-dark-schemes]" ? element("script") : null),
  };
  globalThis.MutationObserver = class {
    constructor(fn) {
      this.fn = fn;
      this.live = false;
      page.observers.push(this);
    }
    observe(target, options) {
      assert.ok(options.attributeFilter.includes("data-md-color-scheme"));
      this.live = true;
    }
    disconnect() {
      this.live = false;
    }
  };
  globalThis.matchMedia = (query) => {
    assert.equal(query, "(prefers-color-scheme: dark)");
    return {
      get matches() {
        return page.prefersDark;
      },
      addEventListener: (type, fn) => page.mediaListeners.add(fn),
      removeEventListener: (type, fn) => page.mediaListeners.delete(fn),
    };
  };
  return page;
}

function unstub() {
  delete globalThis.document;
  delete globalThis.MutationObserver;
  delete globalThis.matchMedia;
}

test("subscribers hear the theme now and on every change; watchers exist only while needed", () => {
  const page = stubPage();
  try {
    page.body.setAttribute("data-md-color-scheme", "default");
    const heard = [];
    const stopA = onThemeChange((t) => heard.push(["a", t]));
    const stopB = onThemeChange((t) => heard.push(["b", t]));
    assert.deepEqual(heard, [["a", "light"], ["b", "light"]]);
    assert.deepEqual(watching(), { subscribers: 2, observer: true, media: true });
    assert.equal(page.observers.filter((o) => o.live).length, 1);
    assert.equal(page.mediaListeners.size, 1);

    heard.length = 0;
    page.set("body", "data-md-color-scheme", "midnight"); // custom dark scheme
    page.set("body", "data-md-color-scheme", "slate"); // dark → dark: no news
    page.set("body", "data-md-color-scheme", "default");
    assert.deepEqual(heard, [["a", "dark"], ["b", "dark"], ["a", "light"], ["b", "light"]]);

    heard.length = 0;
    page.setPrefersDark(true); // Material's scheme still decides
    assert.deepEqual(heard, []);
    page.body.removeAttribute("data-md-color-scheme");
    page.setPrefersDark(false);
    page.setPrefersDark(true);
    assert.deepEqual(heard, [["a", "dark"], ["b", "dark"]]);

    stopA();
    stopA(); // idempotent
    assert.equal(watching().subscribers, 1);
    stopB();
    assert.deepEqual(watching(), { subscribers: 0, observer: false, media: false });
    assert.equal(page.observers.filter((o) => o.live).length, 0);
    assert.equal(page.mediaListeners.size, 0);
  } finally {
    unstub();
  }
});

test("applyTheme sets the scene's palette and the attribute, and asks for a frame", () => {
  const attrs = {};
  const shown = [];
  let dirty = 0;
  const fig = {
    theme: "dark",
    el: { setAttribute: (k, v) => (attrs[k] = v) },
    graph: { setTheme: (t) => shown.push(t) },
    markDirty: () => dirty++,
  };
  applyTheme(fig, "light");
  assert.deepEqual([fig.theme, attrs["data-mm-theme"], shown, dirty], ["light", "light", ["light"], 1]);
  applyTheme(fig, "dark");
  assert.deepEqual([fig.theme, attrs["data-mm-theme"], shown, dirty], ["dark", "dark", ["light", "dark"], 2]);
  applyTheme(fig, "sepia"); // unknown: dark
  assert.equal(fig.theme, "dark");
  fig.graph = null; // not built yet: build() reads fig.theme
  applyTheme(fig, "light");
  assert.deepEqual([fig.theme, shown.length, dirty], ["light", 3, 4]);
});
