"""nlu.quick: a pattern given a lookahead of its first characters matches exactly where the
pattern did, and a pattern the engine already skips ahead on is left alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlu.evaluate import read_tsv
from nlu.lexicon import load_lexicon, normalise
from nlu.quick import quick
from nlu.talk_shapes import ASKS, PLEA, SHAPES

DATA = Path(__file__).resolve().parent / "data"
EDGES = ["", "请", "请社区", "想请大家", "5点", "12:30开会", "【通知】", "通知：停水", "a7区",
         "楼上不上去", "好不好", "¥30", "3栋", "\n请各位\n", "吗", "吗？", "𠀀请社区"]


def _samples() -> list[str]:
    texts = [text for name in ("nlu_community.tsv", "nlu_chatter_styles.tsv")
             for _label, text in read_tsv(DATA / name)]
    return [normalise(text) for text in texts] + EDGES


Found = list[tuple[tuple[int, int], tuple[str | None, ...]]]


def _found(pattern: re.Pattern[str], text: str) -> Found:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("pattern", [
    "(?:请|求|麻烦)(?:一下)?(?:社区|物业)|(?:有人|谁)(?:能)?帮",
    r"(?<![想要])请(?:大家|各位)",
    r"(?:\d{1,2}[:：]\d{2}|(?:\d{1,4}|[一二三]{1,3})\s*(?:点|时))",
    r"^[【\[][^】\]]{1,12}[】\]]|@所有人|^[^，,。\s]{0,12}通知|(?:物业|社区)说",
    r"([好坏])不\1|吗$",
    r"(?<![a-z0-9])[a-z]\d{0,2}\s?(?:市|县|区|镇)",
])
def test_a_quick_pattern_matches_where_its_pattern_does(pattern: str) -> None:
    slow = re.compile(pattern)
    fast = quick(slow)
    assert fast.pattern != slow.pattern
    for text in _samples():
        assert _found(fast, text) == _found(slow, text)


def test_every_talk_and_cue_pattern_matches_as_written() -> None:
    patterns = [PLEA, ASKS, *(p for shape in SHAPES for p in shape.features),
                *(p for p, _entry in load_lexicon().patterns)]
    texts = _samples()
    for fast in patterns:
        slow = _as_written(fast)
        for text in texts:
            assert _found(fast, text) == _found(slow, text)


def _as_written(fast: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern without the lookahead ``quick`` put in front of it."""
    found = re.fullmatch(r"(?:\(\?:\^\|)?\(\?=\[[^\]]*\]\)\)?\(\?:(.*)\)", fast.pattern, re.S)
    return re.compile(found.group(1)) if found else fast


@pytest.mark.parametrize("pattern", [
    "垃圾|楼道",  # alternatives that each open with a literal: the engine skips ahead
    "[?？]|吗",
    "^关于.{2,30}的问题",
    "(?:吗|么)?",  # matches an empty string anywhere
    ".不了",
    "(?i)(?:ab|cd)",
])
def test_a_pattern_the_engine_handles_or_that_is_unknown_stays(pattern: str) -> None:
    compiled = re.compile(pattern)
    assert quick(compiled) is compiled


