"""nlu.screen: a pattern is left unsearched only on a text holding none of the strings every
one of its matches contains, so what is found stays what a search finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlu import guide
from nlu.evaluate import read_tsv
from nlu.guide import reads_as_guide_question
from nlu.lexicon import load_lexicon, normalise
from nlu.reading import shared_screen
from nlu.screen import Screen, needs
from nlu.talk import talk_hits
from nlu.talk_shapes import ASKS, PLEA, SHAPES
from tests.test_guide import NEEDS, QUESTIONS

DATA = Path(__file__).resolve().parent / "data"
EDGES = ["", "请", "请社区", "请一下物业", "5点", "12:30开会", "【通知】", "热不热", "¥30",
         "13800138000", "\ud800请社区", "收拾得干干净净"]


def _samples() -> list[str]:
    texts = [text for name in ("nlu_community.tsv", "nlu_chatter_styles.tsv",
                               "nlu_realistic.tsv")
             for _label, text in read_tsv(DATA / name)]
    return [normalise(text) for text in texts] + EDGES


@pytest.mark.parametrize(("pattern", "expected"), [
    ("请(?:一下)?(?:社区|物业)", {"请社区", "请物业", "请一下社区", "请一下物业"}),
    (r"(?<![想要])请(?:大家|各位)", {"请大家", "请各位"}),
    (r"[\u4e00-\u9fff]得(?:干净|整齐)", {"得干净", "得整齐"}),
    (r"([热冷])不\1", {"热不", "冷不"}),
    ("[?？]|吗$", {"?", "？", "吗"}),
    (r"\d+\s*(?:元|块)", {"元", "块"}),
])
def test_the_strings_a_match_must_hold_are_read_off_the_pattern(
        pattern: str, expected: set[str]) -> None:
    assert needs(re.compile(pattern)) == frozenset(expected)


@pytest.mark.parametrize("pattern", [
    r"\d{11}",  # classes only
    "(?i)ab",  # case folding
    "(?:吗|么)?",  # may match nothing
    ".不了|[^，]{2}",
    "a|\\d",  # one alternative holds no string
])
def test_a_pattern_without_such_strings_is_always_searched(pattern: str) -> None:
    compiled = re.compile(pattern)
    assert needs(compiled) is None
    assert Screen([compiled]).mask("12345678901 ab 不了") == (
        1 if compiled.search("12345678901 ab 不了") else 0)


def test_every_talk_and_cue_pattern_is_searched_wherever_it_matches() -> None:
    patterns = [PLEA, ASKS, *(p for shape in SHAPES for p in shape.features),
                *(p for p, _entry in load_lexicon().patterns)]
    screen = Screen(patterns)
    for text in _samples():
        may = screen.mask(text)
        matching = [i for i, p in enumerate(patterns) if p.search(text)]
        assert [i for i in matching if not may >> i & 1] == [], text


def test_most_texts_are_screened_off_most_patterns() -> None:
    patterns = [p for shape in SHAPES for p in shape.features]
    screen = Screen(patterns)
    texts = _samples()
    searched = sum(bin(screen.mask(text)).count("1") for text in texts)
    assert searched < len(texts) * len(patterns) / 4


def test_one_screen_pass_tells_the_scan_and_the_talk_what_their_own_screens_tell() -> None:
    lexicon = load_lexicon()
    screen, cut = shared_screen()
    for text in _samples():
        may = screen.mask(text)
        assert lexicon.scan(text, may & ((1 << cut) - 1)) == lexicon.scan(text), text
        assert talk_hits(text, may >> cut) == talk_hits(text), text


def test_the_guide_check_answers_alike_without_its_telling_characters(
        monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [*_samples(), *(normalise(text) for text in QUESTIONS + NEEDS)]
    screened = [reads_as_guide_question(text) for text in texts]
    monkeypatch.setattr(guide, "_TELLING", None)
    assert [reads_as_guide_question(text) for text in texts] == screened
    assert any(screened)
