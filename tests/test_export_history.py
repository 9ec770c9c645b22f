"""The ledger's 流转记录 (status history), and exports of one community of a street office."""

from __future__ import annotations

import csv

from openpyxl import load_workbook
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from storage.db import transaction
from storage.models import Admin, Community, District, Identity
from tests.chat import Chat

NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"
HEADERS = ("工单号", "社区", "时间", "原状态", "新状态", "操作人", "原因")


def a_rejected_and_a_finished_order(chat: Chat) -> None:
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.advance(hours=1)
    chat.say("m1", "/done 1")
    chat.say("li", "3栋楼道灯坏了好几天了，请派人修一下")
    chat.say("admin", "/reject 2 已转物业，联系人电话13912345678")


def test_the_xlsx_ledger_has_a_history_sheet_with_reasons_masked(chat) -> None:
    a_rejected_and_a_finished_order(chat)
    (sent,) = chat.say("admin", "/export 台账 2026Q4").messages
    book = load_workbook(sent.attachment)
    assert book.sheetnames == ["服务台账 2026Q4", "流转记录 2026Q4"]
    rows = list(book["流转记录 2026Q4"].iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])
    assert rows[1][:5] == (1, "幸福里社区", "2026-11-23 09:00", None, "待审核")
    rejected = [row for row in rows[1:] if row[0] == 2 and row[4] == "已驳回"]
    assert len(rejected) == 1
    assert rejected[0][5].startswith("社区书记王红(console:admin)")
    assert "13912345678" not in rejected[0][6]
    assert "139****5678" in rejected[0][6]


def test_the_csv_ledger_comes_with_a_second_file(chat, tmp_path) -> None:
    a_rejected_and_a_finished_order(chat)
    runner = CliRunner()
    env = {"WHISTLE_DATABASE_URL": str(chat.engine.url)}
    out = tmp_path / "ledger.csv"
    result = runner.invoke(app, ["export", "台账", "--format", "csv", "--period", "2026Q4",
                                 "--output", str(out)], env=env)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith(f"{tmp_path / 'ledger-history.csv'}: 流转记录")
    with (tmp_path / "ledger-history.csv").open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source))
    assert tuple(rows[0]) == HEADERS
    assert any(row[4] == "已完成" or row[4] == "待评价" for row in rows[1:])
    assert all("13912345678" not in cell for row in rows for cell in row)


def test_history_outside_the_period_is_left_out(chat) -> None:
    a_rejected_and_a_finished_order(chat)
    (sent,) = chat.say("admin", "/export 台账 2026Q3").messages
    assert load_workbook(sent.attachment)["流转记录 2026Q3"].max_row == 1


def street_office(chat: Chat) -> None:
    """东风街道: 幸福里社区 (the demo's, with its orders) and 阳光社区; carol is its admin."""
    with transaction(chat.engine) as session:
        east = District(name="东风街道")
        session.add(east)
        session.flush()
        session.exec(select(Community)).one().district_id = east.id
        session.add(Community(name="阳光社区", district_id=east.id))
        session.add(Admin(channel="console", user_id="carol", role="district",
                          district_id=east.id))
        session.add(Identity(channel="console", user_id="carol", display_name="carol"))


def history_rows(path: str) -> list[tuple]:
    return list(load_workbook(path)["流转记录 2026Q4"].iter_rows(values_only=True))[1:]


def test_a_district_admin_exports_their_district_or_one_community(chat) -> None:
    a_rejected_and_a_finished_order(chat)
    street_office(chat)

    (everything,) = chat.say("carol", "/export 台账 2026Q4").messages
    assert {row[1] for row in history_rows(everything.attachment)} == {"幸福里社区"}
    (sunny,) = chat.say("carol", "/export 台账 2026Q4 阳光社区").messages
    assert history_rows(sunny.attachment) == []
    (happy,) = chat.say("carol", "/export @幸福里社区 台账 2026Q4").messages
    assert len(history_rows(happy.attachment)) == len(history_rows(everything.attachment))


def test_a_community_admins_export_stays_their_community(chat) -> None:
    street_office(chat)
    assert chat.say("admin", "/export 台账 阳光社区").to("admin") == [
        "您不是「阳光社区」的管理员，不能替它操作。"]
    assert chat.say("admin", "/export 台账 火星社区").to("admin") == ["没有找到社区「火星社区」。"]
    assert chat.say("admin", "/export 台账 2026Q9").to("admin") == [
        "「2026Q9」不是有效的期间，请写季度（2026Q4）、年份（2026）或月份（2026-11）。"]


def test_the_command_line_exports_one_community(chat, tmp_path) -> None:
    a_rejected_and_a_finished_order(chat)
    street_office(chat)
    runner = CliRunner()
    env = {"WHISTLE_DATABASE_URL": str(chat.engine.url)}
    out = tmp_path / "sunny.xlsx"
    result = runner.invoke(app, ["export", "ledger", "--period", "2026Q4", "--community",
                                 "阳光社区", "--output", str(out)], env=env)
    assert result.stdout.splitlines() == [f"{out}: 服务台账 2026Q4, 0 rows",
                                          f"{out}: 流转记录 2026Q4, 0 rows"]
