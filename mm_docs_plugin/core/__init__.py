"""The mm-docs compute core: pure Python + numpy + PyYAML, runs in CPython and Pyodide.

    >>> from mm_docs_plugin.core import parse_spec, build
    >>> scene = build(parse_spec("expr: out = A @ B"))
    >>> scene.nodes["out"].values.shape
    (32, 32)

Public API: `parse_spec`, `build`, `Scene`, `SpecError`, `Limits`,
`encode_url_state`, `decode_url_state`, `import_mm_url`, `export_mm_params`.
Everything here is valid Python 3.8 with numpy 1.17 (Pyodide 0.17) and imports
only numpy, PyYAML (fence bodies, `language.fence_yaml`; pure Python, which the
browser gets from the core archive) and the standard library.
"""

from __future__ import annotations

from .errors import DEFAULT_LIMITS, Limits, SpecError
from .links.mmlink import export_mm_params, import_mm_url, mm_link
from .links.urlstate import decode_url_state, encode_url_state, url_fragment
from .scene.build import build
from .scene.nodes import SceneNode
from .scene.scene import Scene
from .spec.parse import parse_spec
from .spec.spec import Spec

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "Scene",
    "SceneNode",
    "Spec",
    "SpecError",
    "build",
    "decode_url_state",
    "encode_url_state",
    "export_mm_params",
    "import_mm_url",
    "mm_link",
    "parse_spec",
    "url_fragment",
]
