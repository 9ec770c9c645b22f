"""One order through every state, through the console channel, read like a chat."""

from __future__ import annotations

import re

from sqlmodel import col, select

from handlers.orders.records import order_records
from storage.db import transaction
from storage.messaging import OutboxMessage

NEED = "3栋2单元501楼道灯坏了好几天，晚上老人下楼看不见，麻烦社区派人修一下，电话13912345678"


def statuses(chat) -> list[str]:
    with transaction(chat.engine) as session:
        (record,) = [r for r in order_records(session) if r["id"] == 1]
    return [row["to"] for row in record["history"]]


def test_an_order_from_need_to_rating(chat_on_each_database) -> None:
    chat = chat_on_each_database
    assert chat.say("admin", "/bind 幸福里社区", group="g1").only(group="g1")

    filed = chat.say("zhang", NEED, group="g1")
    assert "#1" in filed.pop(group="g1")
    assert "#1【待审核】" in filed.pop("admin")
    filed.nothing_else()

    approved = chat.say("admin", "/approve 1 convenience")
    assert approved.pop("admin") == "工单 #1 已通过，已吹哨。"
    assert "通过社区审核" in approved.pop("zhang")
    assert approved.buttons_for("m1") == ["accept:1"]
    group_whistle = approved.pop(group="g1")
    assert "13912345678" not in group_whistle
    assert "501" not in group_whistle
    assert "3栋" in group_whistle
    # m3 and m5 claimed no convenience duty, m6 is in the other grid
    assert [approved.pop(member) for member in ("m1", "m2", "m4")] == [group_whistle] * 3
    approved.nothing_else()

    taken = chat.press("m1", "accept:1")
    details = taken.pop("m1")
    assert "13912345678" in details
    assert "3栋2单元501" in details
    assert "李明" in taken.pop("zhang")
    assert taken.pop(group="g1") == "工单 #1 已有党员接单，感谢大家！"
    taken.nothing_else()
    assert "名额已满" in chat.press("m2", "accept:1").only("m2")[0]

    arrived = chat.say("m1", "/checkin 1", location=(31.23, 121.47))
    assert "已为工单 #1 报到" in arrived.pop("m1")
    assert "已到场" in arrived.pop("zhang")
    arrived.nothing_else()
    finished = chat.say("m1", "完成了", photo="done.jpg")
    assert finished.buttons_for("zhang") == [f"rate:1:{n}" for n in range(1, 6)]
    assert "已标记完成" in finished.pop("m1")
    assert "请为这次服务打分" in finished.pop("zhang")
    finished.nothing_else()

    returned = chat.press("zhang", "rate:1:2")
    assert "【返单】" in returned.pop("admin")
    assert "2 星" in returned.pop("m1")
    assert "已退回社区" in returned.pop("zhang")
    returned.nothing_else()

    reopened = chat.say("admin", "/approve 1")
    assert reopened.recipients() == {"@admin", "@zhang", "@m2", "@m4", "#g1"}  # not m1 again
    assert chat.say("m4", "我来").to("m4")
    chat.say("m4", "/checkin 1")
    chat.say("m4", "/done 1")
    thanks = chat.say("zhang", "非常满意")
    assert thanks.pop("zhang") == "感谢您对 #1 的评价（5星）！"
    assert thanks.pop("m4") == "工单 #1 获得居民 5 星评价。"
    thanks.nothing_else()

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
