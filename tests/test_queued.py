"""Many messages written at once (handlers.queued): the same rows as a few at a time; messages
of a batch of incoming ones, each at its own time and to its own community's admins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col, select

from handlers.messages import Button, Outgoing
from handlers.people import admins_of
from handlers.queued import MANY, write, write_at
from storage.db import transaction
from storage.messaging import OutboxMessage
from storage.models import Admin, Community, stored_id
from tests.statements import counting

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


def test_messages_queued_at_their_own_times_to_each_communitys_admins_go_in_one_insert(
        engine) -> None:
    with transaction(engine) as session:
        for name, admin in (("东社区", "east"), ("西社区", "west")):
            community = Community(name=name)
            session.add(community)
            session.flush()
            session.add(Admin(channel="console", user_id=admin, community_id=community.id))
        ids = [stored_id(c) for c in session.exec(select(Community).order_by(col(Community.id)))]
    later = NOW + timedelta(seconds=1)
    timed = [(admins_of(ids[0], "东边的诉求"), NOW),
             (Outgoing("console", "收到", to_user="r1"), later),
             (admins_of(ids[1], "西边的诉求"), later)]

    with transaction(engine) as session, counting(engine) as statements:
        write_at(session, timed)

    inserts = [sql for sql in statements.sent if sql.startswith("INSERT")]
    assert (len(inserts), len(statements)) == (1, 1 + (engine.dialect.name == "sqlite")), \
        statements.listing()  # and SQLite's BEGIN
    with transaction(engine) as session:
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
        assert [(m.to_user, m.text, m.created_at) for m in rows] == [
            ("east", "东边的诉求", NOW), ("r1", "收到", later), ("west", "西边的诉求", later)]
