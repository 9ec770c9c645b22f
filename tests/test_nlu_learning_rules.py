"""Rules of learning from reviews that keep it safe: what a community learned never changes
how a text unlike it is read, a word is counted once however many of its pieces a text holds,
and a community's own way of stating a trouble reads as a need, a chance n-gram's not."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu import classify
from nlu.classifier import MIN_TERMS, UNLIKE
from nlu.dialect import fold_dialect
from nlu.evaluate import evaluate, read_tsv
from nlu.learning import WEIGHT, Learned, ngrams
from nlu.lexicon import normalise

DATA = Path(__file__).parent / "data"
TUNING = ["community", "community_sichuan", "community_shanghai", "community_xibei",
          "community_guangzhou", "community_dongbei", "community_changsha"]
UNRELATED_SETS = ["nlu_realistic", "nlu_chatter_styles"]


def _learned(name: str) -> Learned:
    return Learned.from_examples(read_tsv(DATA / f"nlu_{name}.tsv")[:100])


def _unlike(text: str, learned: Learned) -> bool:
    """Shares nothing learned of weight: no reviewed text even a little alike, none of the
    community's own words, no learned n-gram of weight; measured on the text as the
    classifier reads it (normalised, dialect folded: 俺家楼上 is 我家楼上)."""
    read = fold_dialect(normalise(text))
    grams = ngrams(read)
    return (learned.votes(read, grams)[1] < UNLIKE and learned.local(read, grams) == 0
            and sum(learned.evidence(read, grams).values()) < MIN_TERMS)


@pytest.mark.parametrize("community", TUNING)
def test_learning_from_an_unrelated_community_leaves_texts_unlike_it_as_they_were(community):
    learned = _learned(community)
    texts = [text for name in UNRELATED_SETS for _label, text in read_tsv(DATA / f"{name}.tsv")]
    unlike = [text for text in texts if _unlike(text, learned)]

    changed = [text for text in unlike if classify(text, learned) != classify(text)]

    # Most of a city's messages resemble nothing one community reviewed: the rule must bite.
    assert (changed, len(unlike) > len(texts) // 2) == ([], True)


@pytest.mark.parametrize("community", TUNING)
def test_learning_from_an_unrelated_community_costs_the_static_sets_little(community):
    learned = _learned(community)
    realistic = read_tsv(DATA / "nlu_realistic.tsv")
    chatter = read_tsv(DATA / "nlu_chatter_styles.tsv")

    # Measured with each of the seven: needs in residents' styles gain 0 to 2 of 343 (they
    # lost up to 1 before a faint learned n-gram stopped making a text a fifth alike a need
    # and a word's pieces were counted once), the 820 chatter lines lose at most 5 (xibei,
    # since the district prior also reads need-ness at its edges; 20 lines lost over the
    # seven once, 10 net now). Since round 8's prior the static classifier reads one more of
    # the 343 right (对门养了七八只猫…说了她还骂人, a dispute) that xibei's learning still reads
    # as sanitation, as it did before: a loss of 1 against the static, none against the old
    # learned score. The bounds are that measure, not a goal.
    lifts = (evaluate(realistic, learned).correct - evaluate(realistic).correct,
             evaluate(chatter, learned).correct - evaluate(chatter).correct)
    assert (lifts[0] >= -1, lifts[1] >= -5) == (True, True), lifts


def test_a_word_is_counted_once_however_many_of_its_pieces_a_text_holds():
    # 握手, 手楼 and 握手楼 are held by the very same reviews: one word, one weight.
    reviewed = [("safety", f"{n}号握手楼电线乱拉 {worry}")
                for n, worry in ((1, "怕起火"), (2, "晚上冒火花"), (3, "楼梯堵死了"))]
    learned = Learned.from_examples([*reviewed, ("sanitation", "楼下垃圾没人收"),
                                     ("convenience", "家里水管漏了")])
    pieces = ("握手", "手楼", "握手楼")

    assert learned.evidence("握手楼") == {
        "safety": max(learned.log_odds(p)["safety"] for p in pieces) * WEIGHT}
    assert learned.raised(set(pieces)) == max(
        (learned.raised({p}) for p in pieces), key=sum)


def test_a_trouble_stated_like_the_communitys_reviews_reads_as_a_need_whatever_duty_it_leans_to():
    # No plea at all, and the raised prior leans to one duty (the dog mess, civility) where
    # the lexicon leans to the other (the charging, safety), about evenly: its reviews are
    # all needs, so chatter's small share decides, not one duty's majority.
    learned = _learned("community_guangzhou")
    text = "有人拉线落街充电单车 狗屎成地都系"

    assert (classify(text).is_request, classify(text, learned).is_request,
            classify(text, learned).duty in {"safety", "civility"}) == (False, True, True)


@pytest.mark.parametrize("community", ["community_changsha", "community_dongbei",
                                       "community_sichuan"])
def test_chatter_a_little_like_a_review_needs_a_learned_word_of_weight_to_read_as_a_need(
        community):
    # A sixth alike to a review (电梯里, 进来一个人) and a faint learned n-gram or two: chance,
    # not the community's word, so it stays chatter.
    text = "今天在电梯里放了个屁 正好进来一个人 尴尬死了😂"

    assert (classify(text).is_request, classify(text, _learned(community)).is_request) == (
        False, False)
