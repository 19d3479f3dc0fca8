"""The ``mm-docs`` command line.

    mm-docs inspect SPEC        nodes, shapes, element counts, scene size, warnings
    mm-docs poster SPEC -o F    the static picture of the figure (SVG; --theme light for light pages)
    mm-docs url SPEC            a link to the full-page view, with the spec in #mm=
    mm-docs import-mm URL       an mm link as a spec (YAML)
    mm-docs export-mm SPEC      a link that opens the spec in mm

SPEC is a YAML/JSON file, or ``-`` for standard input.  Bad input prints one
error (with its position and a hint) on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import List, Optional

import yaml

from . import __version__
from .core import SpecError, build, import_mm_url, mm_link, parse_spec, url_fragment

APP_URL = "app.html"  # the full-page viewer, shipped with the assets (viewer issue)


def _read(path: str) -> tuple:
    if path == "-":
        return sys.stdin.read(), os.getcwd()
    try:
        with open(path, encoding="utf-8") as f:
            return f.read(), os.path.dirname(os.path.abspath(path))
    except OSError as e:
        raise SpecError("cannot read %s: %s" % (path, e.strerror), "check the path") from None


def _load(path: str):
    text, base = _read(path)
    return parse_spec(text, base), text


def cmd_inspect(args) -> int:
    spec, _ = _load(args.spec)
    start = time.perf_counter()
    scene = build(spec)
    ms = (time.perf_counter() - start) * 1000
    data = scene.to_bytes()
    print(scene)
    print(
        "scene file: %s bytes (%.2f MB); built in %.0f ms"
        % (format(len(data), ","), len(data) / 1e6, ms)
    )
    if scene.animation.tracks:
        print("animation: %d steps per loop" % scene.animation.total_steps)
    return 0


def cmd_poster(args) -> int:
    from .poster import render

    spec, _ = _load(args.spec)
    svg = render(build(spec), theme=args.theme)
    if args.output == "-":
        sys.stdout.write(svg)
    else:
        try:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(svg)
        except OSError as e:
            raise SpecError(
                "cannot write %s: %s" % (args.output, e.strerror), "check the path"
            ) from None
        print("wrote %s (%s bytes)" % (args.output, format(len(svg.encode("utf-8")), ",")))
    return 0


def cmd_url(args) -> int:
    spec, _ = _load(args.spec)
    print(args.base + url_fragment(spec))
    return 0


def cmd_import_mm(args) -> int:
    spec = import_mm_url(args.url)
    sys.stdout.write(yaml.safe_dump(spec.to_dict(), sort_keys=False, allow_unicode=True, width=100))
    for w in spec.warnings:
        print("warning: " + w, file=sys.stderr)
    return 0


def cmd_export_mm(args) -> int:
    spec, _ = _load(args.spec)
    print(mm_link(spec))
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="mm-docs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version="mm-docs " + __version__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("inspect", help="print nodes, shapes and element counts")
    p.add_argument("spec")
    p.set_defaults(run=cmd_inspect)
    p = sub.add_parser("poster", help="write the figure's static picture (SVG)")
    p.add_argument("spec")
    p.add_argument(
        "-o", "--output", default="-", help="SVG file to write (default: standard output)"
    )
    p.add_argument(
        "--theme", choices=("dark", "light"), default="dark", help="the page palette it is for"
    )
    p.set_defaults(run=cmd_poster)
    p = sub.add_parser("url", help="print a link to the full-page view of the spec")
    p.add_argument("spec")
    p.add_argument("--base", default=APP_URL, help="page the link opens (default: %(default)s)")
    p.set_defaults(run=cmd_url)
    p = sub.add_parser("import-mm", help="print an mm link as a spec (YAML)")
    p.add_argument("url")
    p.set_defaults(run=cmd_import_mm)
    p = sub.add_parser("export-mm", help="print a link that opens the spec in mm")
    p.add_argument("spec")
    p.set_defaults(run=cmd_export_mm)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except SpecError as e:
        print("mm-docs: error: " + one_line(e, getattr(args, "spec", None)), file=sys.stderr)
        return 2


def one_line(e: SpecError, path: Optional[str]) -> str:
    """``file:line:column: message (field) — hint``: what editors and CI logs parse."""
    where = path or ""
    if e.line is not None:
        where += ":%d:%d" % (e.line, e.column or 1)
    text = "%s: %s" % (where, e.message) if where else e.message
    if e.field:
        text += " [%s]" % e.field
    if e.hint:
        text += " — hint: " + e.hint
    return text


if __name__ == "__main__":
    sys.exit(main())
