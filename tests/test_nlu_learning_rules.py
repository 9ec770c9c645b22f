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
from nlu.learning import MAX_PER_DUTY, WEIGHT, Learned, ngrams
from nlu.lexicon import normalise

DATA = Path(__file__).parent / "data"
TUNING = ["community", "community_sichuan", "community_shanghai", "community_xibei",
          "community_guangzhou", "community_dongbei", "community_changsha", "community_wuhan",
          "community_henan", "community_qingdao", "community_kunming", "community_quanzhou"]
UNRELATED_SETS = ["nlu_realistic", "nlu_chatter_styles"]


def _learned(name: str) -> Learned:
    return Learned.from_examples(read_tsv(DATA / f"nlu_{name}.tsv")[:100])


def _unlike(text: str, learned: Learned) -> bool:
    """Shares nothing learned of weight: no reviewed text even a little alike, none of the
    community's own words, no learned n-gram of weight: in the words the classifier reads,
    dialect folded (一家头 → 一个人)."""
    text = fold_dialect(normalise(text))
    grams = ngrams(text)
    return (learned.votes(text, grams)[1] < UNLIKE and learned.local(text, grams) == 0
            and sum(learned.evidence(text, grams).values()) < MIN_TERMS)


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

    # Measured with each of the twelve: needs in residents' styles move -2 to +2 of 343
    # (Qingdao files a broken street lamp as a repair, the district as safety; -2 for
    # Qingdao with round 8's prior), the 820 chatter lines at most -2 (xibei; -5 before
    # learning stopped making a text a need by its learned n-grams alone and a review stopped
    # weighing ten of the district's; 16 lines lost over the twelve then, 4 now). The bounds
    # are that measure, not a goal.
    lifts = (evaluate(realistic, learned).correct - evaluate(realistic).correct,
             evaluate(chatter, learned).correct - evaluate(chatter).correct)
    assert (lifts[0] >= -2, lifts[1] >= -2) == (True, True), lifts


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


def test_learned_n_grams_alone_never_make_group_talk_a_need(monkeypatch):
    # Qingdao's reviews file its 党员活动室 under party building: that says which duty a need
    # about the room is, not that asking whether the room opens at the weekend is one. How
    # much its n-grams weigh moves with the district prior (1.49 since round 8's, just under
    # MIN_TERMS), so they are made to weigh the most a duty can, for the rule to be tested.
    text = "社区的活动室周末开不开"
    learned = _learned("community_qingdao")
    monkeypatch.setattr(Learned, "evidence", lambda _self, _text, _grams=None: {
        "party_building": MAX_PER_DUTY})

    assert (classify(text).is_request, classify(text, learned).is_request) == (False, False)


def test_common_words_run_together_are_no_communitys_own_word():
    # 两个小 of 两个小娃娃 and 两个小时, 吵了一 of 吵了一架: the district knows their pieces.
    learned = Learned.from_examples([
        ("hardship_relief", "一个人带两个小娃娃 吵了一晚上"),
        ("hardship_relief", "她带着两个小娃娃 又吵了一回"),
        ("community_affairs", "两家在握手楼过道吵架"),
        ("safety", "握手楼电线乱拉"),
    ])

    assert (learned.local("堵车堵了两个小时 吵了一架"), learned.local("握手楼又停电") > 0) == (
        0, True)


@pytest.mark.parametrize("community", ["community_kunming", "community_quanzhou",
                                       "community_changsha"])
def test_a_communitys_reviews_of_a_common_phrase_do_not_refile_an_unrelated_need(community):
    # Their reviews hold 一个人 and 我妈 in hardship: a hundred of them weighing ten district
    # needs each once filed this water cut as hardship.
    text = "我妈一个人住在3栋 今天早上8点打电话说家里停水了 我在外地 麻烦社区去看一下"

    assert (classify(text).duty, classify(text, _learned(community)).duty) == (
        "convenience", "convenience")
