"""Learning from reviews: a community's own word for a duty is learned from its reviewed
orders, and nothing learned ever overturns what the lexicon is sure of."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from bot.cli import app
from nlu import classify
from nlu.classifier import SURE
from nlu.evaluate import evaluate, read_tsv
from nlu.learning import Learned, propose

DATA = Path(__file__).parent / "data"

# A community that calls its neighbours' quarrels 掰扯: its admins filed these as disputes.
REVIEWED = [
    ("community_affairs", "老刘家和小王家又掰扯起来了，请社区来人"),
    ("community_affairs", "五楼两家为晾衣服掰扯半天，麻烦调解一下"),
    ("community_affairs", "楼上楼下掰扯漏水的事，请社区出面"),
    ("community_affairs", "为了车位两家掰扯好几天了，求社区管管"),
    ("sanitation", "3栋门口的垃圾好几天没人清了"),
    ("sanitation", "楼道里堆满了垃圾，请派人清理"),
    ("sanitation", "垃圾桶满了没人收，味道很大"),
    ("convenience", "楼道灯坏了，请来修一下"),
    ("convenience", "家里水龙头漏水，老人修不了"),
    ("convenience", "单元门的门禁坏了，请来修"),
]
NEW = "又开始掰扯了，求管管"
FAIRLY_SURE = 0.7


def test_a_communitys_own_word_for_a_duty_is_learned():
    learned = Learned.from_examples(REVIEWED)

    assert (classify(NEW).duty, classify(NEW, learned).duty) == (None, "community_affairs")


def test_a_sure_verdict_on_a_text_unlike_the_reviewed_ones_stands():
    elsewhere = [("party_building", "3栋楼道的灯坏了，请来修") for _ in range(10)]
    text = "北门垃圾堆了三天没人清理，臭得很，请派人来收"

    assert classify(text).confidence >= SURE
    assert classify(text, Learned.from_examples(elsewhere)).duty == classify(text).duty


def test_reviewed_texts_close_to_a_new_one_outvote_a_fairly_sure_lexicon():
    # This community files its stairwell lights as safety, where the lexicon sees a repair.
    reviewed = [("safety", f"{n}栋楼道的灯坏了，晚上下楼看不见，请来修") for n in range(1, 4)]
    text = "5栋楼道的灯坏了，晚上下楼看不见，请来修一下"

    assert (classify(text).duty, classify(text).confidence >= FAIRLY_SURE) == ("convenience", True)
    assert classify(text, Learned.from_examples(reviewed)).duty == "safety"


def test_a_communitys_learning_outweighs_the_district_prior():
    # The district files a dark stairwell under safety; this community, as repairs.
    reviewed = [("convenience", f"{n}栋楼道灯坏了，晚上黑得看不见，请来修") for n in range(1, 6)]
    text = "楼道里黑得看不见，请来看看"

    assert (classify(text).duty, classify(text, Learned.from_examples(reviewed)).duty) == (
        "safety", "convenience")


@given(st.text(st.sampled_from("的了是我他她它们这那个天地人山水火木金土日月星"), max_size=30))
def test_a_text_sharing_nothing_learned_is_classified_as_without_learning(text):
    learned = Learned.from_examples(REVIEWED)
    assert classify(text, learned) == classify(text)


def test_nlu_eval_learns_from_a_second_file(tmp_path):
    reviewed = tmp_path / "reviewed.tsv"
    reviewed.write_text("\n".join(f"{d}\t{t}" for d, t in REVIEWED), encoding="utf-8")
    new = tmp_path / "new.tsv"
    new.write_text(f"community_affairs\t{NEW}\n", encoding="utf-8")

    static = CliRunner().invoke(app, ["nlu", "eval", str(new)])
    learning = CliRunner().invoke(app, ["nlu", "eval", str(new), "--learn-from", str(reviewed)])

    assert (static.output.splitlines()[0], learning.output.splitlines()[0]) == (
        "accuracy 0.000 (0/1)", "accuracy 1.000 (1/1)")


def test_learning_never_turns_a_guess_into_no_guess():
    # Reviews that tie 坏了 to two duties at once must not leave a repair request unguessed.
    tied = [("convenience", "灯坏了"), ("hardship_relief", "灯坏了")] * 3
    text = "老人家里灯坏了，请帮忙"

    assert classify(text, Learned.from_examples(tied)).duty == classify(text).duty


@given(st.text(st.sampled_from("的了是我他她它们这那个天地人山水火木金土日月星"), max_size=30))
def test_an_accepted_term_leaves_texts_without_it_alone(text):
    learned = Learned.from_examples(REVIEWED).with_terms([("顶牛", "community_affairs")])
    assert classify(text, learned) == classify(text)


def test_an_accepted_term_settles_an_unsure_guess():
    learned = Learned().with_terms([("顶牛", "community_affairs")])

    assert classify("两家又顶牛了，求社区管管", learned).duty == "community_affairs"


def test_a_community_learning_from_its_first_100_reviews_guesses_its_next_needs_better():
    rows = read_tsv(DATA / "nlu_community.tsv")
    learned = Learned.from_examples(rows[:100])

    static, learning = evaluate(rows[100:]), evaluate(rows[100:], learned)

    # The lexicon's and the prior's tuning move both; what learning adds is the point
    # (32 → 34 before round 5's rules, 35 → 36 with them: the rules now read one of the needs
    # learning used to fix; two of the 38 are still missed). Since a word's pieces count once
    # (北门菜场 was counted as 北门菜, 门菜场 and 门菜 for civility) the static 35 holds.
    assert (learning.correct >= static.correct, learning.correct >= 35) == (True, True), (
        static.correct, learning.correct)


@pytest.mark.parametrize("place", ["sichuan", "shanghai", "xibei", "guangzhou", "dongbei",
                                   "changsha"])
def test_learning_from_100_reviews_lifts_each_communitys_next_40_clearly(place):
    rows = read_tsv(DATA / f"nlu_community_{place}.tsv")
    learned = Learned.from_examples(rows[:100])

    static, learning = evaluate(rows[100:]), evaluate(rows[100:], learned)

    # Each community pleads and names its places its own way (嚟整下, 扯皮, 恓惶, 埋汰, 扯筋).
    # Before the round-5 dialect folds 27, 25, 29, 22, 28 and 26 of 40 without learning, 38, 38,
    # 36, 35, 39 and 39 with it; with the folds 35, 31, 38, 30, 29 and 30 statically, 38, 38, 37,
    # 37, 39 and 39 with learning, so learning must lift clearly only where the static reading is
    # weak, and keep each community well read.
    lifts = learning.correct - static.correct >= 7 or static.accuracy >= 0.75
    assert (lifts, learning.accuracy >= 0.85) == (True, True), (static.correct, learning.correct)


def test_an_example_learned_one_at_a_time_teaches_what_learning_them_all_at_once_does():
    one_by_one = Learned.from_examples(REVIEWED[:6])
    replaced = one_by_one.add("sanitation", REVIEWED[6][1])  # then corrected to a repair
    assert replaced is not None
    one_by_one.forget(replaced)
    for duty, text in REVIEWED[6:]:
        one_by_one.add(duty, text)
    one_by_one.neighbours.measure()
    at_once = Learned.from_examples(REVIEWED)

    assert (one_by_one.grams.held, one_by_one.grams.per_duty) == (
        at_once.grams.held, at_once.grams.per_duty)
    assert [classify(text, one_by_one) for text in (NEW, "单元门的灯坏了，老人修不了")] == [
        classify(text, at_once) for text in (NEW, "单元门的灯坏了，老人修不了")]


def test_a_word_common_in_the_district_marks_no_duty_of_its_own():
    # 一个人 marks hardship in the district's needs as much as in these reviews: the lexicon
    # and the prior know it already, and learning it again would only count it twice.
    reviewed = [("hardship_relief", f"{n}栋一个人住的老人{need}") for n, need in
                ((1, "没钱看病"), (2, "冬天没被子"), (3, "饭都吃不上"), (4, "低保没批"))]

    assert Learned.from_examples(reviewed).log_odds("一个人") == {}
    assert Learned.from_examples(REVIEWED).log_odds("掰扯")["community_affairs"] > 2


def test_proposals_are_words_of_the_corrected_duty_not_fragments():
    corrected = [("policy_outreach", "community_affairs", text) for _d, text in REVIEWED[:4]]
    confirmed = [(duty, duty, text) for duty, text in REVIEWED[4:]]

    assert [(p.term, p.duty) for p in propose(corrected + confirmed)] == [
        ("掰扯", "community_affairs")]


def test_a_piece_of_a_longer_name_is_not_proposed():
    corrected = [("sanitation", "community_affairs", text) for text in (
        "北门菜场门口两家顶牛了", "北门菜场那边天天顶牛", "北门菜场旁边又顶牛")]
    confirmed = [(duty, duty, text) for duty, text in REVIEWED[4:]]

    assert [p.term for p in propose(corrected + confirmed)] == ["顶牛"]
