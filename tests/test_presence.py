"""Every incoming message records when its account last wrote, and releases the messages
that were parked until it wrote again (WeChat's 48-hour window); nothing else is released."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from handlers.chat.presence import WINDOW_CLOSED
from storage.db import transaction
from storage.messaging import OutboxMessage
from storage.models import Identity
from tests.conftest import START


def park(chat, text: str, error: str) -> None:
    with transaction(chat.engine) as session:
        session.add(OutboxMessage(channel="console", to_user="zhang", text=text,
                                  status="undeliverable", last_error=error, attempts=1,
                                  created_at=START, next_attempt_at=START))


def test_an_account_is_seen_when_it_writes(chat_on_each_database) -> None:
    chat = chat_on_each_database
    chat.advance(hours=2)

    chat.say("zhang", "帮助")

    with transaction(chat.engine) as session:
        seen = session.exec(select(Identity.last_seen_at)
                            .where(Identity.user_id == "zhang")).one()
    assert seen == START + timedelta(hours=2)


def test_writing_again_releases_only_what_waited_for_the_window(chat_on_each_database) -> None:
    chat = chat_on_each_database
    park(chat, "等您回复", f"{WINDOW_CLOSED}: no template configured")
    park(chat, "已拉黑", "bot was blocked by the user")

    delivered = chat.say("zhang", "帮助")

    assert "等您回复" in delivered.to("zhang")
    assert "已拉黑" not in delivered.to("zhang")
