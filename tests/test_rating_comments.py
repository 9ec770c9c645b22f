"""A rating's words are kept beside its stars: the admins' 返单 notice, /order and the
service ledger show them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from handlers.ledger.periods import parse_period
from handlers.reports.exporting import export_file
from handlers.reports.tables import Scope
from nlu import Reply, parse_reply
from storage.db import transaction
from storage.models import Rating
from tests.chat import POLICY, Chat, serve


def ratings(chat: Chat) -> list[tuple[int, str]]:
    with transaction(chat.engine) as session:
        return [(r.stars, r.comment) for r in session.exec(select(Rating)).all()]


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("不满意，桌椅摆得乱七八糟", Reply("rating", 2, "桌椅摆得乱七八糟"), id="first"),
    pytest.param("师傅很耐心，五星", Reply("rating", 5, "师傅很耐心"), id="stars-last"),
    pytest.param("5星 谢谢小李！", Reply("rating", 5, "谢谢小李！"), id="space"),
    pytest.param("满意", Reply("rating", 4), id="no-words"),
    pytest.param("可以，我去", Reply("accept", None), id="not-a-rating"),
])
def test_the_words_beside_the_stars_are_the_comment(text: str, expected: Reply) -> None:
    assert parse_reply(text) == expected


def test_a_long_rating_keeps_its_stars_and_all_its_words() -> None:
    text = "不满意，" + "桌椅摆得乱七八糟，垃圾也没带走" * 4
    assert parse_reply(text) == Reply("rating", 2, text[4:])


def test_a_poor_rating_with_words_reaches_the_admins(chat: Chat) -> None:
    serve(chat)
    rated = chat.say("zhang", "不满意，桌椅摆得乱七八糟")
    assert ratings(chat) == [(2, "桌椅摆得乱七八糟")]
    assert "居民意见：「桌椅摆得乱七八糟」" in rated.to("admin")[0]
    detail = chat.say("admin", "/order 1").to("admin")[0]
    assert "评价：2 星，意见：「桌椅摆得乱七八糟」" in detail


def test_rate_takes_words_after_the_stars(chat: Chat) -> None:
    serve(chat)
    chat.say("zhang", "/rate 1 5 小李干活很仔细")
    assert ratings(chat) == [(5, "小李干活很仔细")]


def test_words_without_an_order_number_rate_the_waiting_order(chat: Chat) -> None:
    serve(chat)
    chat.say("zhang", "评价 不满意 桌椅很乱")
    assert ratings(chat) == [(2, "桌椅很乱")]


def test_a_pressed_star_has_no_comment(chat: Chat) -> None:
    serve(chat)
    chat.press("zhang", "rate:1:4")
    assert ratings(chat) == [(4, "")]


def test_the_ledger_export_shows_the_comment_masked(chat: Chat, tmp_path: Path) -> None:
    serve(chat)
    chat.say("zhang", "非常满意，有事打我电话13912345678")
    path = tmp_path / "ledger.csv"
    with transaction(chat.engine) as session:
        export_file(session, POLICY, "ledger", Scope(parse_period("2026Q4"), "Asia/Shanghai"),
                    "csv", path)
    text = path.read_text(encoding="utf-8-sig")
    assert "居民意见" in text.splitlines()[0]
    assert "有事打我电话139****5678" in text
    assert "13912345678" not in text
