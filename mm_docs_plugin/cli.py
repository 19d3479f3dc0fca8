"""The ``mm-docs`` command line.

    mm-docs inspect SPEC        nodes, shapes, element counts, scene size, warnings
    mm-docs poster SPEC -o F    the static picture of the figure (SVG; --theme light for light pages)
    mm-docs url SPEC            a link to the full-page view, with the spec in #mm=
    mm-docs import-mm URL       an mm link as a spec (YAML)
    mm-docs export-mm SPEC      a link that opens the spec in mm
    mm-docs validate [PATH...]  check every mm fence of Markdown files or a project (CI)
    mm-docs assets FOLDER       the viewer's files, for sites using the fence without the plugin
    mm-docs preview SPEC        one figure, served on 127.0.0.1 (or -o FILE: one HTML file)

SPEC is a YAML/JSON file, or ``-`` for standard input.  Bad input prints one
error (with its position and a hint) on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import http.server
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
    base = args.base or _site_app_url()
    if base is None:
        base = APP_URL
        print(
            "mm-docs url: note: a relative link (no --base, and no site_url in ./mkdocs.yml); "
            "it opens from a page of the built site. Give --base https://<site>/assets/mm/app.html "
            "for a link that works anywhere",
            file=sys.stderr,
        )
    print(base + url_fragment(spec))
    return 0


def _site_app_url() -> Optional[str]:
    """The full view of the site built from ./mkdocs.yml, if it says where it is served."""
    from pathlib import Path

    from .siteassets import SITE_ASSETS
    from .validate import read_mkdocs_yml

    config = Path("mkdocs.yml")
    site_url = (read_mkdocs_yml(config) or {}).get("site_url") if config.is_file() else None
    if not isinstance(site_url, str) or not site_url.strip():
        return None
    return site_url.strip().rstrip("/") + "/" + SITE_ASSETS + "/" + APP_URL


def cmd_import_mm(args) -> int:
    spec = import_mm_url(args.url)
    sys.stdout.write(yaml.safe_dump(spec.to_dict(), sort_keys=False, allow_unicode=True, width=100))
    for w in spec.warnings:
        print("warning: " + w, file=sys.stderr)
    return 0


def cmd_validate(args) -> int:
    from pathlib import Path

    from .validate import Project, check_file, load_project, markdown_files

    paths = [Path(p) for p in args.paths]
    project, problems = Project(), []
    config = _project_config(paths)
    if config is not None:
        project, problems = load_project(config)
        paths = [project.docs_dir if p == config.parent else p for p in paths if p != config]
        paths = paths or [project.docs_dir]
    files = markdown_files(paths)
    missing = [p for p in files if not p.exists()]
    for p in missing:
        problems.append(_no_such(p))
    count = 0
    for path in files:
        if path.exists():
            found = check_file(path, project)
            problems.extend(found)
            count += 1
    for p in problems:
        print(p, file=sys.stderr)
    print(
        "mm-docs validate: %d file(s), %d problem(s)" % (count, len(problems)),
        file=sys.stderr if problems else sys.stdout,
    )
    return 1 if problems else 0


def _project_config(paths):
    """The mkdocs.yml named, or the one in the single folder named (or here, with no path)."""
    from pathlib import Path

    if not paths:
        here = Path("mkdocs.yml")
        return here if here.is_file() else None
    for p in paths:
        if p.name in ("mkdocs.yml", "mkdocs.yaml") and p.is_file():
            return p
    if len(paths) == 1 and (paths[0] / "mkdocs.yml").is_file():
        return paths[0] / "mkdocs.yml"
    return None


def _no_such(path):
    from .validate import Problem

    return Problem(str(path), None, None, "no such file or folder")


def cmd_preview(args) -> int:
    """One figure as a self-contained page (the viewer inline), served on 127.0.0.1."""
    import tempfile
    from pathlib import Path

    from .figure import Figure

    spec, _ = _load(args.spec)
    base = os.getcwd() if args.spec == "-" else os.path.dirname(os.path.abspath(args.spec))
    mapping = dict(spec.to_dict())
    figure = Figure(mapping.pop("expr"), base_dir=base, **mapping)
    if args.output:
        figure.save_html(args.output, title="mm-docs preview: %s" % args.spec)
        print("wrote %s" % args.output)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="mm-docs-preview-"))
    figure.save_html(str(folder / "index.html"), title="mm-docs preview: %s" % args.spec)
    handler = lambda *a, **k: _QuietHandler(*a, directory=str(folder), **k)  # noqa: E731
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as e:
        raise SpecError(
            "cannot listen on 127.0.0.1:%d: %s" % (args.port, e.strerror), "try another --port"
        ) from None
    print(
        "serving %s at http://127.0.0.1:%d/ (Ctrl-C stops)" % (args.spec, server.server_address[1])
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_assets(args) -> int:
    """The viewer's files for a site built without the plugin (the bare fence)."""
    from pathlib import Path

    from .corearchive import NAME, core_archive
    from .siteassets import ASSET_FILES, ASSETS

    out = Path(args.folder)
    missing = [n for n in ASSET_FILES if not (ASSETS / n).is_file()]
    if missing:
        raise SpecError(
            "the viewer bundle is missing from %s (%s)" % (ASSETS, ", ".join(missing)),
            "reinstall mm-docs (pip install --force-reinstall mm-docs), or run make setup "
            "in a clone of the repository",
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name in ASSET_FILES:
            (out / name).write_bytes((ASSETS / name).read_bytes())
        (out / NAME).write_bytes(core_archive())
    except OSError as e:
        raise SpecError("cannot write %s: %s" % (out, e.strerror), "check the path") from None
    print("wrote %d files to %s" % (len(ASSET_FILES) + 1, out))
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
    p.add_argument(
        "--base",
        help="the full view's address (default: site_url of ./mkdocs.yml + /assets/mm/app.html, "
        "else the relative app.html)",
    )
    p.set_defaults(run=cmd_url)
    p = sub.add_parser("import-mm", help="print an mm link as a spec (YAML)")
    p.add_argument("url")
    p.set_defaults(run=cmd_import_mm)
    p = sub.add_parser(
        "validate",
        help="check every mm fence in Markdown files or a project (for CI and pre-commit)",
        description="Check every mm fence in the Markdown files and folders given (or the "
        "project whose mkdocs.yml is given, or the one here) as `mkdocs build` would. "
        "Prints page:line:column: message for each problem; exits 1 if any.",
    )
    p.add_argument("paths", nargs="*", help=".md files, folders, or a mkdocs.yml")
    p.set_defaults(run=cmd_validate)
    p = sub.add_parser(
        "preview", help="serve one figure on 127.0.0.1 (or write it as one HTML file with -o)"
    )
    p.add_argument("spec")
    p.add_argument("--port", type=int, default=8008, help="port (default: %(default)s; 0: any)")
    p.add_argument("-o", "--output", help="write a self-contained HTML file instead of serving")
    p.set_defaults(run=cmd_preview)
    p = sub.add_parser(
        "assets",
        help="copy the viewer's files into a folder (for sites that use the fence without the plugin)",
    )
    p.add_argument("folder")
    p.set_defaults(run=cmd_assets)
    p = sub.add_parser("export-mm", help="print a link that opens the spec in mm")
    p.add_argument("spec")
    p.set_defaults(run=cmd_export_mm)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except SpecError as e:
        print("mm-docs: error: " + one_line(e, getattr(args, "spec", None)), file=sys.stderr)
        return 2


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


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
