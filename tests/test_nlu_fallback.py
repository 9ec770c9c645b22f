"""The typo fallback's shortcuts change nothing: the candidates it scores are exactly those
that can reach the cutoff, and per-character readings find what phrase readings found."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from nlu.fallback import FUZZY_CUTOFF, _pinyin_index, fuzzy_hits, pinyin_hits
from nlu.lexicon import load_lexicon

LEXICON = load_lexicon()
LONG_TERMS = _pinyin_index()[1]
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)


@st.composite
def typo_texts(draw) -> str:
    """A long term with up to two characters wrong, between random Chinese text."""
    term = list(draw(st.sampled_from(LONG_TERMS)))
    for _ in range(draw(st.integers(0, 2))):
        term[draw(st.integers(0, len(term) - 1))] = draw(HAN)
    around = st.text(HAN, max_size=8)
    return draw(around) + "".join(term) + draw(around)


@settings(max_examples=300, deadline=None)
@given(typo_texts())
def test_fuzzy_hits_are_those_of_scoring_every_term(text):
    everything = process.extract(text, LONG_TERMS, scorer=fuzz.partial_ratio,
                                 score_cutoff=FUZZY_CUTOFF, limit=3)
    assert [hit.term for hit in fuzzy_hits(text, LEXICON)] == [t for t, _, _ in everything]


def test_a_homophone_typo_is_found_by_its_sound():
    assert "垃圾没人收" in [hit.term for hit in pinyin_hits("楼下拉极没人收", LEXICON)]
