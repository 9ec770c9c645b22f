"""The quota sweeps are set-based: the same statements, and the same rows of parameters,
for 10 or 50 members; the names go into the texts in SQL; and a community that fails
among those written together costs only its own share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from handlers import people
from handlers.context import Context
from handlers.jobs import quota_lights, quota_warnings
from handlers.texts import t
from storage.db import transaction
from storage.ledger import MemberWarning
from storage.messaging import OutboxMessage
from storage.models import Admin, Community, Member, Order
from tests.chat import POLICY
from tests.test_fanout import district

REGISTERED = datetime(2026, 6, 1, tzinfo=UTC)  # held to Q4's quota, and short of it
LATE_IN_Q4 = datetime(2026, 12, 24, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
NEW_YEAR = datetime(2027, 1, 1, 2, 0, tzinfo=UTC)  # Q4 has ended; 10:00 in Shanghai


@contextmanager
def sent(engine: Engine) -> Iterator[list[int]]:
    """The rows of parameters each statement on ``engine`` carried inside the block: one for
    a statement, one per row for a bulk insert (executemany)."""
    rows: list[int] = []

    def count(_conn: object, _cursor: object, _statement: str, parameters: object,
              _context: object, executemany: bool) -> None:
        rows.append(len(parameters) if executemany and isinstance(parameters, list) else 1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield rows
    finally:
        event.remove(engine, "before_cursor_execute", count)


def outbox(engine: Engine, user_prefix: str) -> list[tuple[str, str]]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage.to_user, OutboxMessage.text).where(
            col(OutboxMessage.to_user).startswith(user_prefix))
            .order_by(col(OutboxMessage.id))).all())


@pytest.mark.parametrize("sweep", [quota_warnings.nudge, quota_lights.quarter_end],
                         ids=["nudge", "quarter_end"])
def test_a_quota_sweep_sends_the_same_rows_for_10_or_50_members(
        engine: Engine, sweep: Callable[[Context, Community], None]) -> None:
    now = LATE_IN_Q4 if sweep is quota_warnings.nudge else NEW_YEAR
    for members in (10, 50):
        district(engine, members, registered=REGISTERED)

    def run(community_id: int) -> list[int]:
        with sent(engine) as rows, transaction(engine) as session:
            sweep(Context(session, POLICY, now), session.get_one(Community, community_id))
        return rows

    first = [run(c) for c in (1, 2)]
    assert first[0] == first[1]  # statements, and what each carried, alike
    assert all(n == 1 for n in first[1])  # no bulk insert of a row per member
    assert [len(outbox(engine, f"m{n}-")) for n in (10, 50)] == [10, 50]
    again = [run(c) for c in (1, 2)]
    assert again[0] == again[1]
    assert [len(outbox(engine, f"m{n}-")) for n in (10, 50)] == [10, 50]  # told once


def test_the_lights_greet_each_member_by_name_as_the_catalogue_says(engine: Engine) -> None:
    district(engine, 10, registered=REGISTERED)
    with transaction(engine) as session:
        session.add(MemberWarning(member_id=3, period="2026Q3", level="yellow", at=REGISTERED))
    with transaction(engine) as session:
        quota_lights.lights(Context(session, POLICY, NEW_YEAR))
    told = dict(outbox(engine, "m10-"))
    assert told["m10-2"] == t("member_red_light", name="党员2", period="2026Q4")
    assert told["m10-3"] == t("member_yellow_light", name="党员3", period="2026Q4")


def test_the_nudges_list_each_members_own_duties(engine: Engine) -> None:
    district(engine, 10, registered=REGISTERED)
    with transaction(engine) as session:
        quota_warnings.nudges(Context(session, POLICY, LATE_IN_Q4))
    told = dict(outbox(engine, "m10-"))
    assert told["m10-0"].startswith("党员0同志您好")
    assert "环境保洁" in told["m10-0"]  # claims sanitation: the open order is listed
    assert t("quota_no_open_orders") in told["m10-1"]  # safety only: nothing open


def test_a_community_that_fails_among_others_costs_only_its_share(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    for members in (10, 11, 12):
        community_id = district(engine, members, registered=REGISTERED)
        with transaction(engine) as session:
            order = session.get_one(Order, community_id)
            session.add(Admin(channel="console", user_id=f"admin{members}",
                              community_id=order.community_id))
    real = people.to_accounts

    def broken(accounts: list[tuple[str, str]], text: str) -> list:
        if ("console", "admin11") in accounts:
            raise RuntimeError("a bad row of community 2")
        return real(accounts, text)

    monkeypatch.setattr(people, "to_accounts", broken)
    with transaction(engine) as session:
        quota_lights.lights(Context(session, POLICY, NEW_YEAR))
    assert [len(outbox(engine, f"m{n}-")) for n in (10, 11, 12)] == [10, 0, 12]
    with Session(engine) as session:
        lit = session.exec(select(Member.community_id, func.count()).join(
            MemberWarning, col(MemberWarning.member_id) == Member.id)
            .group_by(col(Member.community_id)).order_by(col(Member.community_id))).all()
    assert lit == [(1, 10), (3, 12)]

    monkeypatch.setattr(people, "to_accounts", real)
    with transaction(engine) as session:  # the next run does community 2's share, only it
        quota_lights.lights(Context(session, POLICY, NEW_YEAR))
    assert [len(outbox(engine, f"m{n}-")) for n in (10, 11, 12)] == [10, 11, 12]
