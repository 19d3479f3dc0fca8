"""Scene files: round trip, precision, determinism, size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mm_docs_plugin.core import Scene, build, parse_spec
from mm_docs_plugin.core.scene.pack import SceneFileError, pack, unpack

HEAD = """
expr: out = (attn = softmax(tril((Q = input @ wQ) @ (K_t = wK_t @ input.T) / sqrt(k)))) @ (V = input @ wV) @ wO
nodes:
  input: {shape: [32, 48]}
  wQ: {shape: [48, 8]}
  wO: {shape: [8, 48]}
blocks: {i: 4}
anim: {alg: vmprod, fuse: sync}
"""


@pytest.fixture(scope="module")
def scene():
    return build(parse_spec(HEAD))


def test_round_trip_keeps_geometry_animation_and_values(scene):
    data = scene.to_bytes()
    back = Scene.from_bytes(data)
    assert back.matrices == scene.matrices
    assert back.cubes == scene.cubes
    assert back.legends == scene.legends
    assert back.camera == scene.camera and back.bbox == scene.bbox
    assert back.animation == scene.animation
    assert back.ranges == scene.ranges
    assert back.color_ranges == scene.color_ranges
    assert repr(back) == repr(scene)  # a report reads the same from the file
    assert repr(back).startswith("Scene 'out = (attn = softmax(")
    assert back.spec_dict == scene.spec.to_dict()
    assert [n.name for n in back.nodes] == [n.name for n in scene.nodes]
    for a, b in zip(scene.nodes, back.nodes):
        assert a.shape == b.shape and a.kind == b.kind and a.epilog == b.epilog
        np.testing.assert_array_equal(b.values, a.values.astype(np.float16).astype(np.float32))
    assert back.root.left.left.name == "attn"
    assert back.to_bytes() == data


def test_inputs_are_stored_once(scene):
    header, arrays = unpack(scene.to_bytes())
    names = sorted(arrays)
    assert names.count("m:input") == 1 and "m:input.T" not in " ".join(names)
    entries = {n["name"]: n for n in header["nodes"] if n["kind"] == "leaf"}
    assert entries["input.T"]["buffer"] == entries["input"]["buffer"] == "m:input"
    assert entries["input.T"]["transposed"] is True


def test_display_precision_is_float16_and_exact_is_float32(scene):
    header, _ = unpack(scene.to_bytes())
    assert {b["dtype"] for b in header["buffers"]} == {"f2"}
    exact = build(parse_spec(HEAD + "precision: exact\n"))
    header, arrays = unpack(exact.to_bytes())
    assert {b["dtype"] for b in header["buffers"]} == {"f4"}
    np.testing.assert_array_equal(arrays["n:root"], exact.root.values)


def test_same_spec_same_bytes():
    assert build(parse_spec(HEAD)).to_bytes() == build(parse_spec(HEAD)).to_bytes()


def test_buffers_are_aligned_for_typed_arrays(scene):
    header, _ = unpack(scene.to_bytes())
    assert all(b["offset"] % 8 == 0 for b in header["buffers"])


def test_not_a_scene_file():
    with pytest.raises(SceneFileError, match="not an mm-docs scene file"):
        Scene.from_bytes(pack({"format": "something else"}, {}))
    with pytest.raises(SceneFileError):
        Scene.from_bytes(b"GIF89a" + b"\0" * 40)


def test_gpt2_head_scene_is_under_2_5_mb():
    spec = (Path(__file__).resolve().parents[2] / "examples" / "attention-head.yaml").read_text()
    data = build(parse_spec(spec)).to_bytes()
    assert build(parse_spec(spec)).elements > 1_100_000
    assert len(data) <= 2.5e6
