"""Many messages written at once (handlers.queued): the same rows as a few at a time."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete
from sqlmodel import col, select

from handlers.messages import Button, Outgoing
from handlers.queued import MANY, write
from storage.db import transaction
from storage.messaging import OutboxMessage

NOW = datetime(2026, 11, 23, 1, tzinfo=UTC)


def messages(n: int) -> list[Outgoing]:
    """Of every shape: a group's (masked), a member's with buttons, a chart, an edit."""
    shapes = [
        Outgoing("telegram", "群里的话 电话13800138000", to_chat="-100"),
        Outgoing("wechat", "接单吗？'引号' \"双引号\"", to_user="m1",
                 buttons=(Button("接单", "accept:1"), Button("★", "rate:1:1"))),
        Outgoing("telegram", "图表", to_user="m2", attachment="/tmp/chart.png"),
        Outgoing("telegram", "改写", to_chat="-200", replaces="77"),
    ]
    return [shapes[i % len(shapes)] for i in range(n)]


def written(engine, batches: list[list[Outgoing]]) -> list[tuple]:
    with transaction(engine) as session:
        session.execute(delete(OutboxMessage))
        for batch in batches:
            write(session, batch, NOW)
    with transaction(engine) as session:
        return [(m.channel, m.to_chat, m.to_user, m.text, m.buttons, m.attachment, m.replaces,
                 m.status, m.attempts, m.last_error, m.created_at, m.next_attempt_at, m.sent_at)
                for m in session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))]


def test_many_messages_go_in_as_the_same_rows_as_a_few_at_a_time(engine) -> None:
    many = messages(MANY + 3)

    at_once = written(engine, [many])
    few_at_a_time = written(engine, [many[i:i + 2] for i in range(0, len(many), 2)])

    assert at_once == few_at_a_time
    assert len(at_once) == MANY + 3
    assert at_once[0][3] != many[0].text  # the group's phone number masked
