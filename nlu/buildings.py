"""Which of a community's buildings (楼栋) a text names: the one matcher, a pure function.

People name a building many ways: ``3栋``, ``3号楼``, ``三栋``, ``3幢``, ``3栋楼``, ``B座``, or
only as the first part of ``3-2-502`` (building, unit, room). Communities name theirs one
way each (``3栋`` here, ``3号楼`` there, ``幸福里5栋``). Both sides are read down to a key —
the building's number (or letter) — and compared by it, so ``三栋`` finds ``3号楼`` while
``15栋`` never finds ``5栋``. A bare ``3号`` is a date as often as a building, and ``5楼``
is most often a floor, so neither names one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlu.extract import cn_to_int
from nlu.personal import narrow

_CN = "零一二两三四五六七八九十百"
# 楼 after 栋 is the same building (3栋楼); 楼道/楼下… are its parts, still that building.
_NAMED = re.compile(
    rf"(?<![\d{_CN}A-Za-z])(?P<key>\d{{1,3}}|[{_CN}]{{1,4}}|[A-Za-z])\s*"
    r"(?:号楼|号栋|#楼?|栋|幢|座)")
# 3-2-502 (building-unit-room); never a date (2024-11-23) nor a phone (138-1234-5678).
_DASHED = re.compile(r"(?<![\d-])(?P<key>\d{1,3})-\d{1,2}-\d{1,4}(?![\d-])")


def building_key(text: str) -> str | None:
    """The first building ``text`` names, as its key: ``"3"`` for 三栋, ``"B"`` for B座."""
    plain = narrow(text)
    found = [m for m in (_NAMED.search(plain), _DASHED.search(plain)) if m is not None]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return _key(first["key"])


def _key(token: str) -> str | None:
    if token.isascii() and token.isalpha():
        return token.upper()
    number = cn_to_int(token)
    return str(number) if number else None


def _name_key(name: str) -> str | None:
    """A building's own name read to its key: the last building it names (幸福里5栋 is 5)."""
    plain = narrow(name)
    found = list(_NAMED.finditer(plain))
    return _key(found[-1]["key"]) if found else None


def match_building(text: str, names: Iterable[str]) -> str | None:
    """The one of ``names`` (a community's buildings) that ``text`` names, if any.

    A name with a number matches by that number, whatever the words around it; a name
    without one (老年活动中心) matches when the text contains it whole. Where two names
    would match, the text's first building wins, then the longest name.

    Examples:
        >>> match_building("三栋楼道灯坏了", ["1栋", "3号楼"])
        '3号楼'
        >>> match_building("15栋门口", ["5栋"]) is None
        True
    """
    names = list(names)
    key = building_key(text)
    if key is not None:
        keyed = [name for name in names if _name_key(name) == key]
        if keyed:
            return max(keyed, key=len)
    plain = narrow(text)
    whole = [name for name in names if _name_key(name) is None and narrow(name) in plain]
    return max(whole, key=len, default=None)
