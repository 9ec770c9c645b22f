"""Tests for the reply parser: accept, decline, done, ratings, negation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu import Reply, parse_reply
from nlu.model import REPLY_INTENTS

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("接", Reply("accept", None), id="accept-jie"),
        pytest.param("可以，我去", Reply("accept", None), id="accept-phrase"),
        pytest.param("算我一个", Reply("accept", None), id="accept-count-me"),
        pytest.param("不接", Reply("decline", None), id="negated-accept"),
        pytest.param("我去不了", Reply("decline", None), id="cannot-go"),
        pytest.param("下次吧", Reply("decline", None), id="next-time"),
        pytest.param("搞定了", Reply("done", None), id="done"),
        pytest.param("还没完成", Reply("none", None), id="not-done-yet"),
        pytest.param("满意", Reply("rating", 4), id="satisfied"),
        pytest.param("不满意", Reply("rating", 2), id="unsatisfied"),
        pytest.param("非常不满意", Reply("rating", 1), id="very-unsatisfied"),
        pytest.param("非常满意", Reply("rating", 5), id="very-satisfied"),
        pytest.param("一般", Reply("rating", 3), id="so-so"),
        pytest.param("五星", Reply("rating", 5), id="cn-stars"),
        pytest.param("⭐⭐⭐", Reply("rating", 3), id="emoji-stars"),
        pytest.param("满分", Reply("rating", 5), id="full-marks"),
        pytest.param("差评", Reply("rating", 1), id="bad-review"),
        pytest.param("4", Reply("rating", 4), id="bare-digit"),
        pytest.param("15分钟后到", Reply("accept", None), id="minutes-not-stars"),
        pytest.param("好的", Reply("none", None), id="ok-is-none"),
    ],
)
def test_parse_reply(text: str, expected: Reply) -> None:
    assert parse_reply(text) == expected


def test_reply_to_json() -> None:
    assert parse_reply("5星").to_json() == {"intent": "rating", "stars": 5}


@pytest.mark.parametrize(("name", "floor"), [("nlu_replies.tsv", 0.95),
                                              ("nlu_replies_styles.tsv", 0.98),
                                              ("nlu_replies_realistic.tsv", 0.97),
                                              ("nlu_replies_round5.tsv", 0.95),
                                              ("nlu_replies_round5b.tsv", 0.98),
                                              ("nlu_replies_round5c.tsv", 0.97),
                                              ("nlu_replies_round5d.tsv", 0.97),
                                              ("nlu_replies_round5e.tsv", 0.97),
                                              ("nlu_replies_round5f.tsv", 0.75),
                                              ("nlu_replies_round5g.tsv", 0.98),
                                              ("nlu_replies_round5h.tsv", 0.98),
                                              ("nlu_replies_round5i.tsv", 0.95),
                                              ("nlu_replies_round5j.tsv", 0.95),
                                              ("nlu_replies_round5k.tsv", 0.95),
                                              ("nlu_replies_round6.tsv", 0.97),
                                              ("nlu_replies_round6_long.tsv", 0.9)])
def test_reply_set_accuracy(name: str, floor: float) -> None:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            intent, stars, text = line.split("\t")
            rows.append((Reply(intent, int(stars) if intent == "rating" else None), text))
    correct = sum(_read(parse_reply(text)) == _read(expected) for expected, text in rows)
    assert correct / len(rows) >= floor


def test_non_str_raises() -> None:
    with pytest.raises(TypeError, match="str"):
        parse_reply(None)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text_parses(text: str) -> None:
    reply = parse_reply(text)
    assert reply.intent in REPLY_INTENTS
    assert (reply.stars is not None) == (reply.intent == "rating")
    assert reply.stars is None or 1 <= reply.stars <= 5


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("完成了吗", id="done-question"),
        pytest.param("接单吗？", id="accept-question"),
        pytest.param("修好了没", id="fixed-yet"),
        pytest.param("满意吗", id="rating-question"),
    ],
)
def test_a_question_is_not_a_reply(text: str) -> None:
    assert parse_reply(text).intent == "none"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("好嘞，这就出发", Reply("accept", None), id="setting-off"),
        pytest.param("这周没空", Reply("decline", None), id="busy-this-week"),
        pytest.param("不好意思，我在外地", Reply("decline", None), id="away"),
        pytest.param("已处理完毕", Reply("done", None), id="handled"),
        pytest.param("都弄完了，可以结单了", Reply("done", None), id="close-order"),
        pytest.param("还行吧", Reply("rating", 3), id="so-so"),
        pytest.param("还不错", Reply("rating", 4), id="not-bad"),
        pytest.param("太差了", Reply("rating", 1), id="awful"),
        pytest.param("完成了吗", Reply("none", None), id="question-not-done"),
    ],
)
def test_fresh_replies(text: str, expected: Reply) -> None:
    assert _read(parse_reply(text)) == _read(expected)


def _read(reply: Reply) -> tuple[str, int | None]:
    """What a reply says, without the reason or comment beside it."""
    return reply.intent, reply.stars
