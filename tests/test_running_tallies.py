"""The running tallies of services (handlers/ledger/running.py) always equal a recount.

Orders go through the conversation as members and residents use it: finished, rated low,
returned and reopened, finished again and rated, closed by the sweep when the resident stays
silent, cancelled, and served again in the next quarter. After it all, the tallies the
workflow kept equal the tallies counted afresh from the one definition of a service, and
their sums equal ``per_member`` over every service.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from handlers.ledger import running
from handlers.ledger.services import per_member
from storage.db import transaction
from storage.ledger import ServiceTally
from tests.chat import Chat

NEED = "3栋2单元501楼道灯坏了好几天，晚上老人下楼看不见，麻烦社区派人修一下"


def tallies(session: Session) -> dict[tuple[int, str], tuple[int, float, int, int]]:
    """Every tally row, by member and quarter."""
    return {(row.member_id, row.period): (row.services, round(row.seconds, 3), row.star_sum,
                                          row.rated)
            for row in session.exec(select(ServiceTally)).scalars()}


def serve(chat: Chat, order: int, member: str, hours: float = 2) -> None:
    """``member`` takes the order's place, checks in and finishes ``hours`` later."""
    chat.press(member, f"accept:{order}")
    chat.say(member, f"/checkin {order}")
    chat.advance(hours=hours)
    chat.say(member, f"/done {order}")


def test_the_kept_tallies_equal_a_recount(chat_on_each_database: Chat) -> None:
    chat = chat_on_each_database
    chat.say("admin", "/bind 幸福里社区", group="g1")
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 convenience")
    serve(chat, 1, "m1")
    chat.press("zhang", "rate:1:2")  # returned: m1's service keeps its 2 stars
    chat.say("admin", "/approve 1")  # reopened, a new round
    serve(chat, 1, "m4", hours=1.5)
    chat.press("zhang", "rate:1:5")
    chat.say("zhang", NEED.replace("3栋", "5栋"))
    chat.say("admin", "/approve 2 convenience")
    serve(chat, 2, "m1", hours=3)
    chat.advance(days=3)
    chat.run_jobs()  # the rating window passed in silence: closed by the sweep
    chat.say("zhang", NEED.replace("3栋", "7栋"))
    chat.say("admin", "/approve 3 convenience")
    chat.press("m2", "accept:3")
    chat.say("m2", "/checkin 3")
    chat.say("admin", "/cancel 3 居民已自行修好")  # cancelled on site: no service
    chat.advance(days=45)  # the next quarter
    chat.say("zhang", NEED.replace("3栋", "9栋"))
    chat.say("admin", "/approve 4 convenience")
    serve(chat, 4, "m1")
    chat.press("zhang", "rate:4:4")

    with transaction(chat.engine) as session:
        kept = tallies(session)
        served = per_member()
        everyone = {row.member_id: (row.services, round(row.seconds, 3), row.star_sum or 0,
                                    row.rated) for row in session.execute(select(served))}
        running.rebuild(session)
        recounted = tallies(session)
        session.rollback()

    assert kept == recounted
    summed: dict[int, tuple[int, float, int, int]] = {}
    for (member, _quarter), (n, seconds, stars, rated) in kept.items():
        was = summed.get(member, (0, 0.0, 0, 0))
        summed[member] = (was[0] + n, round(was[1] + seconds, 3), was[2] + stars, was[3] + rated)
    assert summed == everyone
    assert len({quarter for _member, quarter in kept}) == 2  # 2026Q4 and 2027Q1
    assert sum(n for n, *_ in kept.values()) == 4
