"""Legends at page width (688 px, Material's content column), at the default camera of
every docs figure and every mm link we test with: none cut at the figure's edge, none
over another legend or the toolbar, none too small, every matrix name shown.
"""

from __future__ import annotations

import pytest

from .conftest import start_server
from .labelcheck import check_pages, corners, docs_and_link_figures, overlap, summary


def test_the_overlap_test_sees_rotated_rectangles():
    a = {"x": 50, "y": 50, "w": 40, "h": 10, "angle": 0}
    b = dict(a, y=58)
    assert overlap(corners(a), corners(b))
    assert not overlap(corners(a), corners(dict(a, y=62)))
    crossed = dict(a, angle=90, x=50, y=50)  # a plus sign: they cross
    assert overlap(corners(a), corners(crossed))
    apart = dict(a, angle=45, x=50, y=80)
    assert not overlap(corners(a), corners(apart))


@pytest.mark.slow
def test_every_legend_is_readable_at_page_width(browser, tmp_path):
    server = start_server(tmp_path)
    base = "http://127.0.0.1:%d" % server.server_address[1]
    try:
        results = check_pages(browser, tmp_path, base, docs_and_link_figures())
    finally:
        server.shutdown()
    assert len(results) > 100
    assert not any(results.values()), summary(results)
