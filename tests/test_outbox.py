"""Outbox delivery: nothing is lost when a platform fails; a blocked user is not retried."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.outbox import DeliveryError, deliver, deliver_async
from bot.outbox_rows import LEASE, claim
from handlers.context import Context
from handlers.messages import Outgoing
from storage.db import transaction
from storage.messaging import OutboxMessage
from tests.chat import POLICY
from tests.statements import counting

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def queue(engine, *texts: str) -> None:
    with transaction(engine) as session:
        Context(session, POLICY, NOW).queue(
            [Outgoing("telegram", text, to_user="42") for text in texts])


def rows(engine) -> list[OutboxMessage]:
    with transaction(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def test_a_platform_outage_loses_nothing(engine) -> None:
    queue(engine, "一", "二")

    def down(_message: Outgoing) -> None:
        raise ConnectionError("platform unreachable")

    assert deliver(engine, "telegram", down, NOW) == []
    assert [(r.status, r.attempts) for r in rows(engine)] == [("pending", 1)] * 2
    assert deliver(engine, "telegram", down, NOW) == []  # backing off: not yet due
    sent = deliver(engine, "telegram", lambda _m: None, NOW + timedelta(minutes=1))
    assert [m.text for m in sent] == ["一", "二"]
    assert [r.status for r in rows(engine)] == ["sent", "sent"]


def test_a_permanent_failure_is_parked_not_retried(engine) -> None:
    queue(engine, "一")

    def blocked(_message: Outgoing) -> None:
        raise DeliveryError("bot was blocked by the user", permanent=True)

    deliver(engine, "telegram", blocked, NOW)
    (row,) = rows(engine)
    assert (row.status, row.last_error) == ("undeliverable",
                                            "unreachable: bot was blocked by the user")


def test_other_channels_messages_wait_for_their_own_channel(engine) -> None:
    queue(engine, "一")
    assert deliver(engine, "console", lambda _m: None, NOW) == []
    assert rows(engine)[0].status == "pending"


def test_two_workers_delivering_at_once_send_each_message_once(engine) -> None:
    queue(engine, *[f"消息{n}" for n in range(60)])
    sent: list[str] = []

    def worker() -> None:
        deliver(engine, "telegram", lambda m: sent.append(m.text), NOW)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == sorted(f"消息{n}" for n in range(60))


def test_attachments_and_edits_survive_the_outbox(engine) -> None:
    with transaction(engine) as session:
        Context(session, POLICY, NOW).queue([
            Outgoing("telegram", "本周简报", to_chat="g1", attachment="charts/week.png"),
            Outgoing("telegram", "已接单 2/3", to_chat="g1", replaces="77"),
        ])

    sent = deliver(engine, "telegram", lambda _m: None, NOW)

    assert [(m.attachment, m.replaces) for m in sent] == [("charts/week.png", None),
                                                          (None, "77")]


def test_a_batch_sender_settles_each_row_by_its_own_outcome(engine) -> None:
    queue(engine, "一", "二", "三")
    batches: list[list[str]] = []

    async def send_batch(messages: list[Outgoing]) -> list[Exception | None]:
        batches.append([m.text for m in messages])
        return [None, DeliveryError("no such user", permanent=True), ConnectionError("down")]

    async def send_one(_message: Outgoing) -> None:
        raise AssertionError("a channel with send_batch is not sent one by one")

    sent = asyncio.run(deliver_async(engine, "telegram", send_one, NOW, send_batch=send_batch))

    assert batches == [["一", "二", "三"]]
    assert [m.text for m in sent] == ["一"]
    assert [(r.status, r.attempts) for r in rows(engine)] == [
        ("sent", 0), ("undeliverable", 1), ("pending", 1)]


def test_a_failing_batch_sender_retries_every_row(engine) -> None:
    queue(engine, "一", "二")

    async def down(_messages: list[Outgoing]) -> list[Exception | None]:
        raise ConnectionError("platform unreachable")

    async def short(_messages: list[Outgoing]) -> list[Exception | None]:
        return [None]

    for hours, send_batch in enumerate((down, short)):
        asyncio.run(deliver_async(engine, "telegram", _never, NOW + timedelta(hours=hours),
                                  send_batch=send_batch))

    assert [(r.status, r.attempts) for r in rows(engine)] == [("pending", 2)] * 2


async def _never(_message: Outgoing) -> None:
    raise AssertionError("not called")


def test_a_worker_killed_mid_batch_resends_only_the_message_in_flight(engine) -> None:
    queue(engine, "一", "二", "三", "四")
    sent: list[str] = []

    def dies_on_the_third(message: Outgoing) -> None:
        if message.text == "三" and "三" not in sent:
            sent.append("三")
            raise KeyboardInterrupt  # the process is killed while this one is in flight
        sent.append(message.text)

    with contextlib.suppress(KeyboardInterrupt):
        deliver(engine, "telegram", dies_on_the_third, NOW)
    assert deliver(engine, "telegram", dies_on_the_third, NOW + LEASE / 2) == []
    restarted = deliver(engine, "telegram", dies_on_the_third, NOW + LEASE)
    assert [m.text for m in restarted] == ["三", "四"]
    assert sent == ["一", "二", "三", "三", "四"]


def test_a_slow_send_keeps_its_lease_so_no_second_worker_takes_it(engine) -> None:
    queue(engine, "慢")
    release = asyncio.Event()

    async def slow(_message: Outgoing) -> None:
        await release.wait()

    async def scenario() -> datetime:
        delivering = asyncio.create_task(
            deliver_async(engine, "telegram", slow, NOW, renew_every=0.01))
        await asyncio.sleep(0.3)
        lease_until = rows(engine)[0].next_attempt_at
        release.set()
        await delivering
        return lease_until if lease_until.tzinfo else lease_until.replace(tzinfo=UTC)

    assert asyncio.run(scenario()) > NOW + LEASE
    assert rows(engine)[0].status == "sent"


def test_a_claim_leases_its_rows_in_one_statement_however_many(engine) -> None:
    queue(engine, "一")
    with counting(engine) as one:
        first = claim(engine, "telegram", NOW)
    queue(engine, *"二三四五六")
    with counting(engine) as five:
        claimed = claim(engine, "telegram", NOW)

    leased_until = {row.next_attempt_at.replace(tzinfo=UTC) for row in rows(engine)}
    assert (len(first), len(claimed), len(five)) == (1, 5, len(one)), five.listing()
    assert leased_until == {NOW + LEASE}
