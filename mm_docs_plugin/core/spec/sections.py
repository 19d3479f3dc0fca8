"""The settings sections of a spec, declared once.

Each section (``anim``, ``blocks``, ``layout``, ``deco``, ``colors``, ``camera``) is a
`Schema`: a table of `Field` s with type, default, range and a one-line doc, and the
name mm gives the same parameter (for mm-link import and export).  Validation,
defaults, error hints, the reference docs, the editor's menus and the mm mapping all
read these tables, so a setting is declared in exactly one place.
"""

from __future__ import annotations

from ..language.schema import Field, Schema

ALGS = (
    "none",
    "dotprod_row_major",
    "dotprod_col_major",
    "axpy",
    "mvprod",
    "vmprod",
    "vvprod",
)
CHILD_ALGS = ALGS + ("inherit",)

ANIM = Schema(
    "anim",
    "Animation of the matmuls: which decomposition plays, how fast, how chains join.",
    [
        Field("alg", "choice", "none", "algorithm to animate", choices=ALGS, mm="alg"),
        Field("speed", "int", 20, "steps per second, at most", lo=1, hi=100, mm="speed"),
        Field(
            "fuse",
            "choice",
            "none",
            "run a parent in step with its children when their planes line up",
            choices=("none", "sync", "async"),
            mm="fuse",
        ),
        Field(
            "hide_inputs", "bool", False, "hide input matrices while animating", mm="hide inputs"
        ),
        Field(
            "spin",
            "float",
            0.0,
            "turn the camera about the vertical axis",
            lo=-10,
            hi=10,
            mm="spin",
        ),
    ],
    shorthand="alg",
)
# A child matmul's own animation: only the algorithm, which may inherit.
NODE_ANIM = Schema(
    "anim",
    "Animation algorithm of this matmul and its subtree.",
    [Field("alg", "choice", "inherit", "algorithm for this subtree", choices=CHILD_ALGS, mm="alg")],
    shorthand="alg",
)

BLOCKS = Schema(
    "blocks",
    "Partitions of a matmul along i (rows), j (columns) and k (depth), for parallelism.",
    [
        Field("i", "int", 1, "blocks along i", lo=1, hi=256, mm="i blocks"),
        Field("j", "int", 1, "blocks along j", lo=1, hi=256, mm="j blocks"),
        Field("k", "int", 1, "blocks along k", lo=1, hi=256, mm="k blocks"),
    ],
)

_PLACEMENT = [
    Field(
        "polarity",
        "choice",
        "negative",
        "which way k runs, and which way child cubes turn",
        choices=("negative", "positive"),
        mm="polarity",
    ),
    Field(
        "left_placement",
        "choice",
        "left",
        "face holding the left argument",
        choices=("left", "right"),
        mm="left placement",
    ),
    Field(
        "right_placement",
        "choice",
        "top",
        "face holding the right argument",
        choices=("top", "bottom"),
        mm="right placement",
    ),
    Field(
        "result_placement",
        "choice",
        "front",
        "face holding the result",
        choices=("front", "back"),
        mm="result placement",
    ),
]

LAYOUT = Schema(
    "layout",
    "Where the cubes sit: the scheme that places children, spacing, and the root's faces.",
    [
        Field(
            "scheme",
            "choice",
            "blocks",
            "rule placing each child from its parent",
            choices=("blocks", "zigzag", "wheel", "custom"),
            mm="scheme",
        ),
        Field(
            "gap",
            "float",
            4.0,
            "space between faces and between blocks, in elements",
            lo=0,
            hi=64,
            mm="gap",
        ),
        Field(
            "scatter",
            "float",
            0.0,
            "extra distance of child matmuls from their parent",
            lo=0,
            hi=128,
            mm="scatter",
        ),
        Field(
            "molecule",
            "int",
            1,
            "scatter only children with at least this many matmuls",
            lo=1,
            hi=8,
            mm="molecule",
        ),
        Field("blast", "float", 0.0, "scatter multiplier exponent", lo=-2, hi=2, mm="blast"),
    ]
    + _PLACEMENT,
)
# A child matmul's placement (used when layout.scheme is custom).
NODE_LAYOUT = Schema("layout", "Faces of this matmul's cube (scheme custom).", _PLACEMENT)

DECO = Schema(
    "deco",
    "Decoration: legends, guides, the magnifying lens.",
    [
        Field(
            "legends",
            "float",
            6.0,
            "size of name and shape labels (0 hides them)",
            lo=0,
            hi=10,
            mm="legends",
        ),
        Field("shape", "bool", True, "show dimension legends (I = 256 / 8)", mm="shape"),
        Field(
            "spotlight",
            "float",
            2.0,
            "radius of value labels around the lens",
            lo=0,
            hi=10,
            mm="spotlight",
        ),
        Field(
            "row_guides", "float", 0.6, "brightness of row guide lines", lo=0, hi=1, mm="row guides"
        ),
        Field(
            "flow_guides",
            "float",
            0.5,
            "size of the flow arrow in each cube",
            lo=0,
            hi=1,
            mm="flow guides",
        ),
        Field(
            "lens_size",
            "float",
            0.5,
            "lens size, as a fraction of the figure height",
            lo=0,
            hi=1,
            mm="lens size",
        ),
        Field("magnification", "float", 7.0, "lens zoom", lo=1, hi=25, mm="magnification"),
        Field(
            "interior_spotlight",
            "bool",
            False,
            "also label animation planes",
            mm="interior spotlight",
        ),
        Field("axes", "bool", False, "draw x/y/z axes", mm="axes"),
    ],
)

COLORS = Schema(
    "colors",
    "How values map to colour and size (mm's 'colors and sizes').",
    [
        Field(
            "sensitivity",
            "choice",
            "global",
            "range used to normalise |x|",
            choices=("global", "semilocal", "local", "superlocal"),
            mm="sensitivity",
        ),
        Field("min_size", "float", 0.2, "size of the smallest |x|", lo=0, hi=1, mm="min size"),
        Field(
            "min_light", "float", 0.4, "lightness of the smallest |x|", lo=0, hi=1, mm="min light"
        ),
        Field(
            "max_light", "float", 0.7, "lightness of the largest |x|", lo=0, hi=1, mm="max light"
        ),
        Field("elem_scale", "float", 1.25, "element size factor", lo=0.1, hi=2, mm="elem scale"),
        Field("zero_hue", "float", 0.77, "centre hue", lo=0, hi=1, mm="zero hue"),
        Field("hue_gap", "float", 0.74, "hue offset by sign", lo=0, hi=1, mm="hue gap"),
        Field(
            "hue_spread",
            "float",
            0.04,
            "hue change with the signed value",
            lo=0,
            hi=1,
            mm="hue spread",
        ),
    ],
)

CAMERA = Schema(
    "camera",
    "Initial view; leave out to frame the whole figure.",
    [
        Field("position", "vec3", None, "camera position [x, y, z]", nullable=True),
        Field("target", "vec3", None, "point looked at [x, y, z]", nullable=True),
    ],
)

SECTIONS = {s.name: s for s in (ANIM, BLOCKS, LAYOUT, DECO, COLORS, CAMERA)}
