// A spec mapping (Spec.to_dict(), as the editor holds it) written back as the body
// of an ```mm fence: what "copy as a Markdown fence" puts on the clipboard and
// what an author pastes into a page.  Top-level keys one per line, each node's
// settings on one line in flow style; strings are left plain where YAML reads them
// back as the same string, and double-quoted (JSON escapes) otherwise.
// tests/js/test_fence_text.py parses every output with the Python core and compares.

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Plain in block context: no comment/mapping/quote indicators, no leading indicator.
const BLOCK_PLAIN = /^[A-Za-z_(][^\n\r#:"'`\\{}[\]|>&*!%@,]*[^\s#:"'`\\{}[\]|>&*!%@,]$|^[A-Za-z_]$/;
const BLOCK_PLAIN_EXPR = /^[A-Za-z_(][^\n\r#:"'`\\{}[\]|>&!%]*[^\s#:"'`\\{}[\]|>&!%]$|^[A-Za-z_]$/;
// Plain inside { } or [ ]: also no flow indicators (, [ ] { }).
const FLOW_PLAIN = /^[A-Za-z_][A-Za-z0-9_.+\-*/() ]*[A-Za-z0-9_.)]$|^[A-Za-z_]$/;
// Words YAML 1.2's core schema reads as something other than a string.
const NOT_A_STRING = /^(true|false|null|~|yes|no|on|off)$/i;

function str(s, plain) {
  return plain.test(s) && !NOT_A_STRING.test(s) ? s : JSON.stringify(s);
}

function key(k) {
  return KEY.test(k) && !NOT_A_STRING.test(k) ? k : JSON.stringify(k);
}

function num(x) {
  if (Number.isFinite(x)) return String(x);
  if (Number.isNaN(x)) return ".nan";
  return x > 0 ? ".inf" : "-.inf";
}

/** One value in flow style. */
export function flow(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return num(value);
  if (typeof value === "string") return str(value, FLOW_PLAIN);
  if (Array.isArray(value)) return "[" + value.map(flow).join(", ") + "]";
  const parts = Object.keys(value).map((k) => key(k) + ": " + flow(value[k]));
  return "{" + parts.join(", ") + "}";
}

/** The fence body (no ``` lines) for a spec mapping. */
export function fenceBody(spec) {
  const lines = [];
  for (const k of Object.keys(spec)) {
    const v = spec[k];
    if (k === "nodes" && v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length) {
      lines.push("nodes:");
      for (const name of Object.keys(v)) lines.push("  " + key(name) + ": " + flow(v[name]));
    } else if (typeof v === "string") {
      lines.push(key(k) + ": " + str(v, k === "expr" ? BLOCK_PLAIN_EXPR : BLOCK_PLAIN));
    } else {
      lines.push(key(k) + ": " + flow(v));
    }
  }
  return lines.join("\n") + "\n";
}

/** The whole fence, ready to paste into a Markdown page. */
export function fenceText(spec) {
  return "```mm\n" + fenceBody(spec) + "```\n";
}
