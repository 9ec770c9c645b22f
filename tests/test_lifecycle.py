"""One order through every state, through the console channel, read like a chat."""

from __future__ import annotations

import re

from sqlmodel import col, select

from handlers.orders.records import order_records
from storage.db import transaction
from storage.models import OutboxMessage

NEED = "3栋2单元501楼道灯坏了好几天，晚上老人下楼看不见，麻烦社区派人修一下，电话13912345678"


def statuses(chat) -> list[str]:
    with transaction(chat.engine) as session:
        (record,) = [r for r in order_records(session) if r["id"] == 1]
    return [row["to"] for row in record["history"]]


def test_an_order_from_need_to_rating(chat_on_each_database) -> None:
    chat = chat_on_each_database
    assert chat.say("admin", "/bind 幸福里社区", group="g1").in_group("g1")

    filed = chat.say("zhang", NEED, group="g1")
    assert "#1" in filed.in_group("g1")[0]
    assert "#1【待审核】" in filed.to("admin")[0]

    approved = chat.say("admin", "/approve 1 convenience")
    assert approved.to("admin") == ["工单 #1 已通过，已吹哨。"]
    assert "通过社区审核" in approved.to("zhang")[0]
    whistled = {"@m1", "@m2", "@m4", "#g1"}
    assert whistled <= approved.recipients()
    assert "@m3" not in approved.recipients()  # m3 claimed no convenience duty
    group_whistle = approved.in_group("g1")[0]
    assert "13912345678" not in group_whistle and "501" not in group_whistle
    assert "3栋" in group_whistle
    assert approved.buttons_for("m1") == ["accept:1"]

    taken = chat.press("m1", "accept:1")
    assert "13912345678" in taken.to("m1")[0] and "3栋2单元501" in taken.to("m1")[0]
    assert "李明" in taken.to("zhang")[0]
    assert taken.in_group("g1") == ["工单 #1 已有党员接单，感谢大家！"]
    assert "名额已满" in chat.press("m2", "accept:1").to("m2")[0]

    arrived = chat.say("m1", "/checkin 1", location=(31.23, 121.47))
    assert "已到场" in arrived.to("zhang")[0]
    finished = chat.say("m1", "完成了", photo="done.jpg")
    assert finished.buttons_for("zhang") == [f"rate:1:{n}" for n in range(1, 6)]

    returned = chat.press("zhang", "rate:1:2")
    assert "【返单】" in returned.to("admin")[0]

    reopened = chat.say("admin", "/approve 1")
    assert "@m4" in reopened.recipients()
    assert chat.say("m4", "我来").to("m4")
    chat.say("m4", "/checkin 1")
    chat.say("m4", "/done 1")
    thanks = chat.say("zhang", "非常满意")
    assert thanks.to("zhang") == ["感谢您对 #1 的评价（5星）！"]

    assert statuses(chat) == [
        "submitted", "open", "claimed", "in_progress", "awaiting_rating", "returned",
        "open", "claimed", "in_progress", "awaiting_rating", "closed",
    ]
    assert group_messages_with_personal_data(chat) == []


def group_messages_with_personal_data(chat) -> list[str]:
    """Every message the bot ever queued for a group that shows the resident's phone or room."""
    with transaction(chat.engine) as session:
        texts = session.exec(select(OutboxMessage.text)
                             .where(col(OutboxMessage.to_chat).is_not(None))).all()
    assert texts  # the scan has something to read
    return [text for text in texts if "13912345678" in re.sub(r"\D", "", text)
            or re.search(r"(?<!\d)501(?!\d)", text)]
