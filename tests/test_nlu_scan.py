"""The lexicon scan: the automaton finds exactly the leftmost-longest terms a plain scan finds."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu.evaluate import read_tsv
from nlu.lexicon import Lexicon, load_lexicon, normalise

DATA = Path(__file__).resolve().parent / "data"
TRAINING = Path(__file__).resolve().parents[1] / "nlu" / "data" / "training"
TUNING_SETS = sorted([*TRAINING.glob("*.tsv"),
                      *(p for p in DATA.glob("nlu_*.tsv") if not p.name.startswith("nlu_replies"))])


def plain_scan(table: dict[str, object], text: str) -> list[tuple[int, str]]:
    """The definition: at each position take the longest term there and go on after it."""
    longest = max(map(len, table), default=0)
    found, i = [], 0
    while i < len(text):
        size = next((n for n in range(longest, 0, -1) if text[i:i + n] in table), 0)
        if size:
            found.append((i, text[i:i + size]))
        i += size or 1
    return found


def spans(lexicon: Lexicon, text: str) -> list[tuple[int, str]]:
    return [(hit.start, hit.term) for hit in lexicon.terms_in(text)]


SMALL = Lexicon([("sanitation", "垃圾", 1.0), ("sanitation", "垃圾分类", 1.0),
                 ("sanitation", "圾分", 1.0), ("safety", "😀火", 1.0),
                 ("safety", "abcd", 1.0), ("safety", "bc", 1.0)],
                [("thanks", "谢谢", 1.0), ("need", "^求", 1.0), ("ask", "求推荐", 2.0)])


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param("垃圾分类垃圾", [(0, "垃圾分类"), (4, "垃圾")], id="longest-first"),
     pytest.param("垃圾分", [(0, "垃圾")], id="no-overlap"),
     pytest.param("abcbc", [(1, "bc"), (3, "bc")], id="falls-back-to-shorter"),
     pytest.param("🙂😀火垃圾", [(1, "😀火"), (3, "垃圾")], id="astral-characters"),
     pytest.param("\udcff垃圾\ud800谢谢", [(1, "垃圾"), (4, "谢谢")], id="lone-surrogates"),
     pytest.param("", [], id="empty")],
)
def test_terms_are_found_leftmost_longest(text: str, expected: list[tuple[int, str]]) -> None:
    assert spans(SMALL, text) == expected
    assert spans(SMALL, text) == plain_scan(SMALL.table, text)


def test_an_anchored_plea_gives_way_to_a_longer_talk_opening() -> None:
    assert [hit.term for hit in SMALL.scan("求推荐垃圾")] == ["求推荐", "垃圾"]
    assert [hit.term for hit in SMALL.scan("求垃圾")] == ["求", "垃圾"]


def test_the_lexicon_scans_every_tuning_text_as_defined() -> None:
    lexicon = load_lexicon()
    texts = [normalise(text) for path in TUNING_SETS for _label, text in read_tsv(path)]
    assert len(texts) > 1000
    assert [spans(lexicon, t) for t in texts] == [plain_scan(lexicon.table, t) for t in texts]


PIECES = sorted(load_lexicon().table)[::7]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=12))
def test_the_lexicon_scans_any_mix_of_terms_as_defined(pieces: list[str]) -> None:
    text = normalise("".join(pieces))
    assert spans(load_lexicon(), text) == plain_scan(load_lexicon().table, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from("，？！：；（）～\u3000。、Ａｂ１ﬁ\u0301é"),
                                  st.characters()), max_size=20))
def test_normalise_is_nfkc_and_lower_case(text: str) -> None:
    assert normalise(text) == unicodedata.normalize("NFKC", text).lower()
