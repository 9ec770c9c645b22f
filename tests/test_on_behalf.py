"""Filing on behalf (代办, 微心愿): an admin or a member files for a person without a phone;
the order records whom for and who filed it; the filer rates on the beneficiary's behalf;
the beneficiary's phone reaches only the members who accept."""

from __future__ import annotations

from pathlib import Path

from handlers.ledger.periods import parse_period
from handlers.reports.exporting import export_file
from handlers.reports.tables import Scope
from storage.db import transaction
from storage.models import Identity, Order
from tests.chat import POLICY, Chat

FOR_LIU = "/need 代 刘奶奶 6栋 13912345678 家里灯泡坏了需要换"


def order(chat: Chat) -> Order:
    with transaction(chat.engine) as session:
        return session.get_one(Order, 1)


def test_a_member_files_for_a_neighbour_and_the_order_records_both(chat: Chat) -> None:
    filed = chat.say("m2", FOR_LIU).to("m2")
    assert filed == ["已为 刘奶奶 代办诉求 #1，进展会告诉您，办完后请代 刘奶奶 评价。"]
    found = order(chat)
    assert (found.beneficiary_name, found.beneficiary_building, found.beneficiary_phone,
            found.text) == ("刘奶奶", "6栋", "13912345678", "家里灯泡坏了需要换")
    with transaction(chat.engine) as session:
        filer = session.get_one(Identity, found.filed_by)
        assert (filer.user_id, filer.resident_id) == ("m2", found.resident_id)


def test_the_phone_reaches_only_the_member_who_accepted(chat: Chat) -> None:
    chat.say("m2", FOR_LIU)
    whistled = chat.say("admin", "/approve 1 convenience")
    assert all("13912345678" not in text for m in whistled.messages for text in [m.text])
    taken = chat.say("m1", "/accept 1")
    mine = taken.to("m1")[0]
    assert "服务对象：刘奶奶（6栋）" in mine
    assert "13912345678" in mine
    assert all("13912345678" not in m.text for m in taken.messages if m.to_user != "m1")


def test_the_filer_rates_on_the_beneficiarys_behalf(chat: Chat) -> None:
    chat.say("m2", FOR_LIU)
    chat.say("admin", "/approve 1 convenience")
    chat.say("m1", "/accept 1")
    chat.say("m1", "/checkin 1")
    finished = chat.say("m1", "/done 1")
    assert "请代 刘奶奶 为这次服务打分" in finished.to("m2")[0]
    chat.advance(hours=20)
    assert chat.run_jobs().to("m2") == [
        "您为 刘奶奶 代办的工单 #1 还没有评价，请在今天内代 刘奶奶 点星评价，超时将自动办结。"]
    chat.say("m2", "非常满意，刘奶奶说谢谢")
    assert order(chat).status == "closed"


def test_a_guided_flow_asks_step_by_step(chat: Chat) -> None:
    assert "怎么称呼" in chat.say("admin", "代办").to("admin")[0]
    assert "哪一栋" in chat.say("admin", "王大爷").to("admin")[0]
    assert "电话" in chat.say("admin", "3栋").to("admin")[0]
    assert "帮什么忙" in chat.say("admin", "跳过").to("admin")[0]
    chat.say("admin", "腿脚不便，想请人帮忙买菜")
    found = order(chat)
    assert (found.beneficiary_name, found.beneficiary_building, found.beneficiary_phone) == (
        "王大爷", "3栋", "")


def test_a_resident_files_only_for_themselves(chat: Chat) -> None:
    refused = chat.say("zhang", FOR_LIU).to("zhang")
    assert refused == ["代办只能由党员或社区管理员提交。您自己有困难请直接发消息告诉我。"]


def test_order_detail_and_the_ledger_show_both(chat: Chat, tmp_path: Path) -> None:
    chat.say("m2", FOR_LIU)
    chat.say("admin", "/approve 1 convenience")
    assert "代办：服务对象 刘奶奶（6栋）" in chat.say("admin", "/order 1").to("admin")[0]
    chat.say("m1", "/accept 1")
    chat.say("m1", "/checkin 1")
    chat.say("m1", "/done 1")
    path = tmp_path / "ledger.csv"
    with transaction(chat.engine) as session:
        export_file(session, POLICY, "ledger", Scope(parse_period("2026Q4"), "Asia/Shanghai"),
                    "csv", path)
    header, row = path.read_text(encoding="utf-8-sig").splitlines()
    assert header.endswith("代办对象,代办人")
    assert row.split(",")[-2] == "刘奶奶 6栋"
    assert "13912345678" not in row
