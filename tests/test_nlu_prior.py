"""The district prior: trained from the package's labelled needs, it places needs the lexicon
cannot, decides whether a text is a need only where the cues fall just short, and leaves a
text it has no majority for to a person."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nlu.blend
import nlu.classifier
from nlu import DUTIES, classify
from nlu.blend import PRIOR_SURE
from nlu.crossval import cross_validate
from nlu.decide import TALK_KINDS
from nlu.dialect import fold_dialect
from nlu.evaluate import read_tsv
from nlu.lexicon import normalise
from nlu.prior import (
    CHATTER,
    CLASSES,
    GRAMS_PER_UNIT,
    TEMPERATURE,
    Prior,
    char_grams,
    load_prior,
    training_rows,
)
from nlu.reading import evidence

UNKNOWN_TO_THE_LEXICON = "我爸的假牙坏了 想找人陪他去修"


def test_the_training_files_hold_needs_of_every_duty_and_chatter() -> None:
    rows = training_rows()

    assert {label for label, _ in rows} == {*DUTIES, CHATTER}
    assert load_prior().examples == len(rows)


def test_a_long_gram_only_one_training_text_holds_is_not_stored() -> None:
    prior = Prior.from_examples([("safety", "井盖没了"), ("safety", "井盖丢了"),
                                 ("sanitation", "垃圾满了")])

    assert ("井盖" in prior.weights, "井盖没" in prior.weights, "没" in prior.weights,
            "垃圾满" in prior.weights) == (True, False, True, False)


def test_a_bad_training_row_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "written.tsv").write_text("# header\nsafety\t井盖没了\nsafty\t井盖没了\n",
                                          encoding="utf-8")

    with pytest.raises(ValueError, match="written.tsv line 3"):
        training_rows(tmp_path)


def test_the_prior_places_a_need_the_lexicon_cannot(monkeypatch: pytest.MonkeyPatch) -> None:
    placed = classify(UNKNOWN_TO_THE_LEXICON)
    monkeypatch.setattr(nlu.blend, "PRIOR_WEIGHT", 0.0)
    lexicon_alone = classify(UNKNOWN_TO_THE_LEXICON)

    assert (lexicon_alone.duty, placed.is_request, placed.duty) == (None, True, "convenience")


_NEED_LETTERS = st.text(
    st.sampled_from("楼道灯坏了垃圾没人清邻居吵架老人困难请帮忙求管管谢谢通知，"), max_size=30)


def _without_district_readings(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(nlu.classifier, "reads_as_district_need", lambda *_: False)
    patch.setattr(nlu.classifier, "reads_as_district_chatter", lambda *_: False)


@given(_NEED_LETTERS)
def test_the_prior_vote_never_decides_whether_a_text_is_a_need(text: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        _without_district_readings(patch)
        voted = classify(text)
        patch.setattr(nlu.blend, "PRIOR_WEIGHT", 0.0)
        lexicon_alone = classify(text)

    assert voted.is_request == lexicon_alone.is_request


@given(_NEED_LETTERS)
def test_the_district_decides_a_need_only_where_the_cues_fall_short(text: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        _without_district_readings(patch)
        by_cues = classify(text)
    read = classify(text)
    ev, _, _ = evidence(fold_dialect(normalise(text)))

    talk = sum(ev.cues.get(k, 0.0) for k in TALK_KINDS)
    said = ev.cues.get("need", 0.0) + ev.cues.get("problem", 0.0)
    if read.is_request and not by_cues.is_request:  # read as a need: a topic, little talk
        outtalked = ev.cues.get("need", 0.0) >= 1.0 and talk <= said + 1.5
        assert (ev.topic_total >= 1.0, talk <= 1.0 or outtalked) == (True, True)
    if by_cues.is_request and not read.is_request:  # read as talk: hardly a plea
        assert ev.cues.get("need", 0.0) <= 1.0


def test_cross_validation_scores_every_row_with_a_prior_that_never_saw_it() -> None:
    rows = [(label, text) for label, text in training_rows() if label != CHATTER][::20]
    seen: list[int] = []
    real = nlu.blend.load_prior

    def counting() -> Prior:
        seen.append(real().examples)
        return real()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nlu.blend, "load_prior", counting)
        report = cross_validate(rows, folds=4)

    assert report.total == len(rows)
    assert len(seen) > 0
    assert set(seen) <= {len(rows) - len(rows[fold::4]) for fold in range(4)}
    assert load_prior().examples == len(training_rows())


def test_a_duty_only_the_prior_placed_is_never_sure_enough_to_auto_approve() -> None:
    found = classify("想找人聊聊天")

    assert (found.duty is not None, found.confidence) == (True, PRIOR_SURE)


@pytest.mark.parametrize("text", ["楼道灯坏了好几天", "想请人讲讲医保报销新政策", "", "收到"])
def test_the_packed_weights_add_up_to_the_weights_themselves(text: str) -> None:
    prior = load_prior()
    grams = char_grams(text)
    rows = [prior.weights[gram] for gram in grams if gram in prior.weights]
    temperature = max(TEMPERATURE, len(rows) / GRAMS_PER_UNIT)
    expected = [(sum(column) + len(rows) * constant) / temperature
                for column, constant in zip(zip(*rows, strict=True) if rows
                                            else [()] * len(CLASSES), prior.per_gram,
                                            strict=True)]
    assert prior.log_likelihoods(grams) == pytest.approx(expected, abs=1e-9)


@given(st.text(alphabet="楼道灯坏了请社区帮忙修一下垃圾没人收_3３a Ａ，。!\ud800", max_size=30))
def test_reading_a_text_in_one_pass_finds_the_grams_char_grams_gives(text: str) -> None:
    prior = load_prior()
    assert prior.text_log_likelihoods(text) == prior.log_likelihoods(char_grams(text))


def test_reading_the_tuning_texts_in_one_pass_finds_the_same_grams() -> None:
    prior = load_prior()
    texts = [text for name in ("nlu_community.tsv", "nlu_chatter_styles.tsv")
             for _label, text in read_tsv(Path(__file__).resolve().parent / "data" / name)]
    assert [prior.text_log_likelihoods(t) for t in texts] == [
        prior.log_likelihoods(char_grams(t)) for t in texts]
