"""Learning from reviews: a community's own word for a duty is learned from its reviewed
orders, and nothing learned ever overturns what the lexicon is sure of."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from bot.cli import app
from nlu import classify
from nlu.learning import Learned

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


def test_a_communitys_own_word_for_a_duty_is_learned():
    learned = Learned.from_examples(REVIEWED)

    assert (classify(NEW).duty, classify(NEW, learned).duty) == (None, "community_affairs")


def test_learning_never_overturns_a_clear_verdict():
    wrong = [("party_building", "3栋楼道的灯坏了，请来修") for _ in range(10)]
    text = "3栋楼道的灯坏了，晚上看不见，请来修"

    assert classify(text, Learned.from_examples(wrong)).duty == classify(text).duty


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
