"""GCJ-02 (WeChat's and WeCom's shared locations) to WGS-84, against published pairs."""

from __future__ import annotations

import pytest

from handlers.orders.geo import gcj02_to_wgs84, wgs84_to_gcj02
from handlers.orders.matching import distance_m

# (WGS-84 lat, lon), (GCJ-02 lat, lon): the reference points the eviltransform libraries
# test against, surveyed in three cities.
REFERENCE = [
    pytest.param((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215),
                 id="shanghai"),
    pytest.param((22.543847, 113.912316), (22.540796131694766, 113.9171764808363),
                 id="shenzhen"),
    pytest.param((39.911954, 116.377817), (39.91334545536069, 116.38404722455657),
                 id="beijing"),
]


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_a_wechat_point_is_converted_to_within_a_metre(wgs, gcj) -> None:
    assert distance_m(gcj02_to_wgs84(*gcj), wgs) < 1.0
    assert distance_m(gcj, wgs) > 400  # unconverted, it would fail a 500 m geofence nearby


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_the_forward_offset_matches_the_reference(wgs, gcj) -> None:
    assert distance_m(wgs84_to_gcj02(*wgs), gcj) < 0.01


def test_a_point_outside_china_has_no_offset() -> None:
    assert gcj02_to_wgs84(51.5007, -0.1246) == (51.5007, -0.1246)
