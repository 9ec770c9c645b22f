"""Map datums: WeChat and WeCom share locations in GCJ-02 (火星坐标), the offset datum every
map of mainland China must use; buildings, GPS and Telegram use WGS-84. A GCJ-02 point is
about 300-600 m from the WGS-84 point it stands for, more than a check-in radius, so a
WeChat location is converted before it is measured against anything.

The offset is the published obfuscation on the Krasovsky ellipsoid; its inverse has no
closed form, so it is found by iterating the forward offset (converges to well under a
metre in a few steps). Points outside mainland China carry no offset.
"""

from __future__ import annotations

from math import cos, pi, sin, sqrt

_A = 6_378_245.0  # Krasovsky 1940 semi-major axis, metres
_EE = 0.006_693_421_622_965_943  # its first eccentricity squared
_STEPS = 10
_CLOSE_DEG = 1e-9  # about 0.1 mm: the inverse has converged


def _outside_china(lat: float, lon: float) -> bool:
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _lat_shift(x: float, y: float) -> float:
    shift = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
    shift += (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0
    shift += (20.0 * sin(y * pi) + 40.0 * sin(y / 3.0 * pi)) * 2.0 / 3.0
    shift += (160.0 * sin(y / 12.0 * pi) + 320.0 * sin(y * pi / 30.0)) * 2.0 / 3.0
    return shift


def _lon_shift(x: float, y: float) -> float:
    shift = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
    shift += (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0
    shift += (20.0 * sin(x * pi) + 40.0 * sin(x / 3.0 * pi)) * 2.0 / 3.0
    shift += (150.0 * sin(x / 12.0 * pi) + 300.0 * sin(x / 30.0 * pi)) * 2.0 / 3.0
    return shift


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """Where a WGS-84 point is shown on a Chinese map (GCJ-02), as (lat, lon) degrees."""
    if _outside_china(lat, lon):
        return lat, lon
    d_lat = _lat_shift(lon - 105.0, lat - 35.0)
    d_lon = _lon_shift(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * pi
    magic = 1 - _EE * sin(rad) ** 2
    root = sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * root) * pi)
    d_lon = (d_lon * 180.0) / (_A / root * cos(rad) * pi)
    return lat + d_lat, lon + d_lon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """The WGS-84 point a GCJ-02 (lat, lon) stands for, to well under a metre.

    Examples:
        >>> [round(v, 5) for v in gcj02_to_wgs84(31.17530398364597, 121.531541859215)]
        [31.17743, 121.52721]
    """
    if _outside_china(lat, lon):
        return lat, lon
    wgs_lat, wgs_lon = lat, lon
    for _ in range(_STEPS):
        shown_lat, shown_lon = wgs84_to_gcj02(wgs_lat, wgs_lon)
        miss_lat, miss_lon = shown_lat - lat, shown_lon - lon
        wgs_lat, wgs_lon = wgs_lat - miss_lat, wgs_lon - miss_lon
        if abs(miss_lat) < _CLOSE_DEG and abs(miss_lon) < _CLOSE_DEG:
            break
    return wgs_lat, wgs_lon
