"""Personal data (个人信息) as people write it: phone numbers, ID-card numbers, exact rooms.

This is the one place that recognises them. Extraction (the phone a need leaves, the
address it names) and masking (what a group, a member who has not accepted, a report or a
log line may see) both use these patterns, so the two cannot disagree.

Phones come in every way people type them: ``13812345678``, ``138 1234 5678``,
``138-1234-5678``, ``138.1234.5678``, ``+86 138…``, full-width digits, and run into the
words around them (``电话13812345678谢谢``). Landlines with their area code
(``0755-12345678``, ``(010)12345678``, ``021 1234 5678``) or after a word that announces
one (``座机：12345678``). An exact address is the room: ``2单元502``, ``3号楼502室``,
``502室``, ``3-2-502``; the building and the unit are the place, and stay readable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_WIDE = {chr(0xFF10 + n): str(n) for n in range(10)}
_WIDE.update({"－": "-", "—": "-", "–": "-", "＋": "+", "．": ".", "（": "(", "）": ")",
              "\u3000": " ", "\u00a0": " ", "：": ":"})
_NARROW = str.maketrans(_WIDE)

NUM = r"(?:\d+|[零一二两三四五六七八九十百]+)"
"""A number as written in an address: digits or Chinese numerals."""
# 楼 followed by one of these is 楼道/楼下/楼顶…, a part or side of the building, not its name.
_NOT_BUILDING_LOU = r"(?!道|梯|下|上|顶|前|后)"
BUILDING = (rf"(?:{NUM}|[a-zA-Z])"
            rf"(?:号楼|栋楼{_NOT_BUILDING_LOU}|栋|幢|号|座|楼{_NOT_BUILDING_LOU})")
"""A building: 3栋, 5号楼, 12幢, B座."""
UNIT = rf"{NUM}(?:单元|号门|门|梯)"
"""A unit (entrance) of a building: 2单元, 3号门."""
ROOM = r"[-]?\d{1,4}(?:室|号|层|房|户)?"
"""A room after a building or unit: 501, -1203, 402室."""

_SEP = r"[ \t\-.]{0,2}"
MOBILE = re.compile(
    rf"(?<![\d+])(?:(?:\+|00)?86[ \-]?)?(?P<number>1[3-9]\d(?:{_SEP}\d){{8}})(?!\d)")
LANDLINE = re.compile(
    r"(?<![\d(])(?P<area>\(0\d{2,3}\)|0\d{2,3})[ \-]?(?P<local>\d{3,4}[ \-]?\d{4})(?!\d)")
_LOCAL_AFTER_WORD = re.compile(
    r"(?:电话|座机|固话|联系方式|联系|tel|TEL|Tel)[: ]*(?P<local>\d{7,8})(?!\d)")
ID_CARD = re.compile(
    r"(?<![\dA-Za-z])(?P<id>[1-9]\d{5} ?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])"
    r"(?:0[1-9]|[12]\d|3[01]) ?\d{3}[\dXx])(?![\dA-Za-z])")
# What follows a room's digits: not another digit, and no word that makes them a building,
# a unit or a floor (5楼); 楼道 after a room is the stairwell outside it.
_ROOM_END = rf"(?!\d|单元|号门|门|梯|层|栋|幢|座|楼{_NOT_BUILDING_LOU})"
_ROOMS = (
    # 2单元502, 3单元 402 室, 2门-301
    re.compile(rf"{UNIT}\s*-?\s*(?P<room>\d{{1,4}}){_ROOM_END}"),
    # 3号楼502室, B座1203, 6栋101 (a building and then a room, no unit)
    re.compile(rf"(?:{NUM}|[a-zA-Z])(?:号楼|栋|幢|座)\s*-?\s*(?P<room>\d{{3,4}}){_ROOM_END}"),
    # 3-2-502: building, unit, room
    re.compile(r"(?<![\d-])\d{1,3}-\d{1,2}-(?P<room>\d{1,4})(?![\d-])"),
    # 502室, 1203 房
    re.compile(r"(?<!\d)(?P<room>\d{3,4})(?=\s*(?:室|房|户))"),
    # 房间号502, 门牌号：1203
    re.compile(r"(?:房间号?|门牌号?|房号)[: ]*(?P<room>\d{1,4})(?!\d)"),
)
_PLACE = re.compile(rf"(?:{NUM}号院)?(?:{BUILDING})(?:{UNIT})?(?:{ROOM})?|{UNIT}(?:{ROOM})?")
_BUILDING_PREFIX = re.compile(r"^.*(?:号楼|栋|幢|座)")


@dataclass(frozen=True)
class Found:
    """One piece of personal data in a text: where it is and how it reads masked."""

    kind: str
    start: int
    end: int
    masked: str


def narrow(text: str) -> str:
    """Full-width digits and signs as ASCII, character for character (positions kept)."""
    return text.translate(_NARROW)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _mask_mobile(match: re.Match[str]) -> Found:
    digits = _digits(match["number"])
    return Found("mobile", match.start(), match.end(), f"{digits[:3]}****{digits[-4:]}")


def _mask_landline(match: re.Match[str]) -> Found:
    area, local = _digits(match["area"]), _digits(match["local"])
    hidden = "*" * (len(local) - 4) + local[-4:]
    return Found("landline", match.start(), match.end(), f"{area}-{hidden}")


def _mask_local(match: re.Match[str]) -> Found:
    local = match["local"]
    start = match.start("local")
    return Found("landline", start, match.end(), "*" * (len(local) - 4) + local[-4:])


def _mask_id(match: re.Match[str]) -> Found:
    number = match["id"].replace(" ", "")
    return Found("id_card", match.start(), match.end(), f"{number[:3]}{'*' * 11}{number[-4:]}")


def _mask_room(match: re.Match[str]) -> Found:
    return Found("room", match.start("room"), match.end("room"), "***")


_RECOGNISERS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Found]], ...] = (
    (ID_CARD, _mask_id),
    (MOBILE, _mask_mobile),
    (LANDLINE, _mask_landline),
    (_LOCAL_AFTER_WORD, _mask_local),
    *((room, _mask_room) for room in _ROOMS),
)


def find(text: str) -> list[Found]:
    """Every piece of personal data in ``text``, in order, none overlapping another.

    Where two readings overlap, the one recognised first in ``_RECOGNISERS`` wins (an
    ID-card number holds digits that also read as a phone).
    """
    plain = narrow(text)
    taken: list[Found] = []
    for pattern, read in _RECOGNISERS:
        for match in pattern.finditer(plain):
            found = read(match)
            if all(found.end <= other.start or found.start >= other.end for other in taken):
                taken.append(found)
    return sorted(taken, key=lambda found: found.start)


def mask(text: str) -> str:
    """``text`` with every phone, ID-card number and room hidden: ``138****5678``,
    ``3栋2单元***``, ``110***********1234``."""
    pieces, at = [], 0
    for found in find(text):
        pieces += [text[at:found.start], found.masked]
        at = found.end
    return "".join(pieces) + text[at:]


def has_personal_data(text: str) -> bool:
    """Whether ``text`` still shows a phone, an ID-card number or a room."""
    return bool(find(text))


def extract_phone(text: str) -> str | None:
    """The first phone in ``text``: a mobile as 11 digits, else a landline ``0755-12345678``."""
    plain = narrow(text)
    mobile = MOBILE.search(plain)
    if mobile:
        return _digits(mobile["number"])
    landline = LANDLINE.search(plain)
    if landline:
        return f"{_digits(landline['area'])}-{_digits(landline['local'])}"
    return None


def mobile_number(text: str) -> str | None:
    """A whole answer read as a mainland mobile number (11 digits), or None.

    ``+86 138-1234-5678`` and full-width digits give ``13812345678``.
    """
    found = MOBILE.fullmatch(narrow(text).strip())
    return _digits(found["number"]) if found else None


def extract_place(text: str) -> str | None:
    """The building, unit and room a text names, such as "3栋2单元501" or "B座1203室"."""
    found = _PLACE.search(narrow(text))
    return text[found.start():found.end()].strip() if found else None


def public_place(address: str) -> str:
    """The part of an address fit for a group: the building, never the unit or room."""
    match = _BUILDING_PREFIX.match(address)
    return match.group(0) if match else ""


def place_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` (narrowed) names a building, unit or room, as (start, end) spans."""
    return [match.span() for match in _PLACE.finditer(text)]
