"""Reports and exports on a small seeded ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.settings import Settings
from handlers.errors import WorkflowError
from handlers.ledger import book
from handlers.ledger.periods import parse_period
from handlers.reports.exporting import export_file
from handlers.reports.reports import grade
from handlers.reports.tables import Scope
from handlers.rules import timerules
from storage.db import transaction
from storage.ledger import MemberWarning
from storage.models import Community, Rating
from tests.chat import NEED, POLICY, Chat, serve

ZONE = "Asia/Shanghai"


@pytest.fixture
def ledger(chat_on_each_database: Chat) -> Chat:
    """The seeded ledger on SQLite and PostgreSQL: for the SQL aggregates."""
    return seed_ledger(chat_on_each_database)


@pytest.fixture
def chat_ledger(chat: Chat) -> Chat:
    """The seeded ledger once: for chat behaviour, which does not depend on the database."""
    return seed_ledger(chat)


def seed_ledger(chat: Chat) -> Chat:
    """m1 serves a resident for 2 h (5★); m4 and m6 serve an event for 3 h and 2 h.

    Points come from the rules (5 a service, 2 an hour, 5 for 5★) plus m1's 80 base points
    from January; m6 got a red light this quarter, m4 a yellow one last quarter.
    """
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.say("admin", "/whistle 环境保洁 2 周一上午 小区大扫除")
    chat.press("m4", "accept:2")
    chat.press("m6", "accept:2")
    chat.say("m4", "/checkin 2")
    chat.advance(hours=1)
    chat.say("m6", "/checkin 2")
    chat.advance(hours=1)
    chat.say("m1", "/done 1")
    chat.press("zhang", "rate:1:5")
    chat.advance(hours=1)
    chat.say("m4", "/done 2")
    chat.say("m6", "/done 2")
    now = chat.clock.now()
    with transaction(chat.engine) as session:
        book.write(session, [book.entry(1, 80, "year_base", datetime(2026, 1, 1, tzinfo=UTC))])
        session.add(MemberWarning(member_id=6, period="2026Q4", level="red", at=now))
        session.add(MemberWarning(member_id=4, period="2026Q3", level="yellow", at=now))
    return chat


def export(chat: Chat, kind: str, period: str, fmt: str, tmp_path: Path) -> list[tuple]:
    """Export through the same function the CLI uses; read it back as a reader would."""
    path = tmp_path / f"{kind}-{period}.{fmt}"
    with transaction(chat.engine) as session:
        export_file(session, POLICY, kind, Scope(parse_period(period), ZONE), fmt, path)
    if fmt == "csv":
        assert path.read_bytes()[:3] == b"\xef\xbb\xbf"  # Excel reads the BOM as UTF-8
        with path.open(encoding="utf-8-sig", newline="") as source:
            return [tuple(row) for row in csv.reader(source)]
    return list(load_workbook(path).active.iter_rows(values_only=True))


def test_the_service_ledger_lists_each_service_with_hours_and_rating(ledger, tmp_path) -> None:
    rows = export(ledger, "ledger", "2026Q4", "xlsx", tmp_path)
    assert rows[0][:3] == ("工单号", "社区", "类别")
    assert [(r[0], r[5], r[6], r[7], r[8], r[9], r[10]) for r in rows[1:]] == [
        (1, "李明", "区税务局", "2026-11-23 09:00", "2026-11-23 11:00", 2, 5),
        (2, "刘洋", "区供电公司", "2026-11-23 09:00", "2026-11-23 12:00", 3, None),
        (2, "赵强", "街道城管中队", "2026-11-23 10:00", "2026-11-23 12:00", 2, None),
    ]
    assert rows[1][2] == "环境保洁"


def test_the_ledger_tells_a_default_good_rating_from_a_given_one(chat, tmp_path) -> None:
    with transaction(chat.engine) as session:
        timerules.set_overrides(session, 1, {"default_good_rating": True})
    serve(chat)
    chat.advance(hours=25)
    chat.run_jobs()  # the resident stayed silent: 默认好评, and no 5★ bonus
    rows = export(chat, "ledger", "2026Q4", "csv", tmp_path)
    assert [(r[0], r[5], r[10]) for r in rows[1:]] == [("1", "李明", "默认好评")]


def test_a_period_without_services_has_only_the_header(chat_ledger, tmp_path) -> None:
    assert len(export(chat_ledger, "ledger", "2026Q3", "csv", tmp_path)) == 1


def test_the_roster_has_hours_points_and_lights(ledger, tmp_path) -> None:
    rows = export(ledger, "roster", "2026Q4", "csv", tmp_path)
    header = rows[0]
    picked = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    columns = ("姓名", "手机", "服务次数", "服务时长(小时)", "本期积分", "积分余额", "警示")
    assert [tuple(p[c] for c in columns) for p in picked if p["服务次数"] != "0"] == [
        ("李明", "13800000001", "1", "2.0", "14", "94", ""),
        ("刘洋", "13800000004", "1", "3.0", "11", "11", ""),
        ("赵强", "13800000006", "1", "2.0", "9", "9", "红灯"),
    ]
    assert len(picked) == 6
    yearly = export(ledger, "roster", "2026", "csv", tmp_path)
    assert [r[-1] for r in yearly[1:] if r[1] == "刘洋"] == ["黄灯"]


def test_a_new_years_points_leave_the_closed_year_out(chat_ledger, tmp_path) -> None:
    new_year = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)  # midnight in Shanghai
    with transaction(chat_ledger.engine) as session:
        book.write(session, [book.entry(1, -94, "year_reset", new_year, note="2026"),
                             book.entry(1, 80, "year_base", new_year, note="2027")])
    rows = export(chat_ledger, "roster", "2027Q1", "csv", tmp_path)
    li_ming = next(dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[1] == "李明")

    assert (li_ming["本期积分"], li_ming["积分余额"]) == ("80", "80")


def test_each_unit_gets_its_feedback_card(ledger, tmp_path) -> None:
    rows = export(ledger, "units", "2026Q4", "xlsx", tmp_path)
    cards = {row[0]: row[1:] for row in rows[1:]}
    assert rows[0] == ("单位", "报到党员", "服务次数", "服务时长(小时)", "平均评价(星)",
                       "红灯党员")
    assert cards["区税务局"] == (1, 1, 2, 5, None)
    assert cards["街道城管中队"] == (1, 1, 2, None, "赵强")
    assert cards["区人民法院"] == (1, 0, 0, None, None)


def test_a_default_good_rating_leaves_a_units_average_alone(chat_ledger, tmp_path) -> None:
    with transaction(chat_ledger.engine) as session:
        session.add(Rating(order_id=2, stars=5, by_default=True, at=chat_ledger.clock.now()))
    rows = export(chat_ledger, "units", "2026Q4", "csv", tmp_path)
    cards = {row[0]: row[1:] for row in rows[1:]}

    assert cards["区供电公司"][3] == ""  # no resident rated 刘洋's work


def test_annual_grades_rank_members_and_units(ledger, tmp_path) -> None:
    rows = export(ledger, "grades", "2026Q4", "xlsx", tmp_path)
    graded = {(row[0], row[1]): row[-1] for row in rows[1:]}
    # A quarter needs a quarter of the yearly hours: 10 / 5 / 2.
    assert graded[("党员", "李明")] == "一般"
    assert graded[("党员", "刘洋")] == "一般"
    assert graded[("党员", "王芳")] == "差"
    assert graded[("单位", "区供电公司")] == "一般"
    assert len(rows) == 1 + 6 + 6


@pytest.mark.parametrize(("hours", "period", "red", "expected"), [
    pytest.param(40, "2026", False, "优秀", id="year-excellent"),
    pytest.param(39.9, "2026", False, "良好", id="just-below"),
    pytest.param(8, "2026", False, "一般", id="year-fair"),
    pytest.param(7.9, "2026", False, "差", id="year-poor"),
    pytest.param(10, "2026Q4", False, "优秀", id="quarter-scaled"),
    pytest.param(40, "2026", True, "一般", id="red-light-caps"),
    pytest.param(0, "2026", True, "差", id="red-light-no-lift"),
])
def test_grade_thresholds(hours: float, period: str, red: bool, expected: str) -> None:
    assert grade(hours, parse_period(period), POLICY, red) == expected


def test_the_xlsx_sheet_is_readable(chat_ledger, tmp_path) -> None:
    path = tmp_path / "ledger.xlsx"
    with transaction(chat_ledger.engine) as session:
        export_file(session, POLICY, "ledger", Scope(parse_period("2026"), ZONE), "xlsx", path)
    sheet = load_workbook(path).active
    assert sheet["A1"].font.bold is True
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("2026Q4", ("2026Q4", "2026-10-01", "2027-01-01"), id="quarter"),
    pytest.param("2026", ("2026", "2026-01-01", "2027-01-01"), id="year"),
    pytest.param("2026-2", ("2026-02", "2026-02-01", "2026-03-01"), id="month"),
])
def test_periods_are_read(text: str, expected: tuple) -> None:
    period = parse_period(text)
    assert (period.label, str(period.start), str(period.end)) == expected


@pytest.mark.parametrize("text", ["2026Q5", "2026-13", "26Q1", "last year", "0000"])
def test_a_bad_period_is_refused(text: str) -> None:
    with pytest.raises(WorkflowError, match="不是有效的期间"):
        parse_period(text)


def test_an_admin_gets_the_export_as_a_file_in_private(chat_ledger) -> None:
    chat_ledger.say("admin", "/bind 幸福里社区", group="g1")
    sent = chat_ledger.say("admin", "导出 台账 2026Q4 csv", group="g1")
    private, history = [m for m in sent.messages if m.to_user == "admin"]
    assert sent.in_group("g1") == ["报表含党员手机号，已私信发给您。"]
    assert private.text == "服务台账 2026Q4，共 3 行，请查收文件。"
    assert history.text.startswith("流转记录 2026Q4，共 ")
    assert history.attachment.endswith("ledger-2026Q4-history.csv")
    with open(private.attachment, encoding="utf-8-sig", newline="") as source:
        assert len(list(csv.reader(source))) == 4


def test_the_export_defaults_to_this_quarter_as_xlsx(chat_ledger) -> None:
    (message,) = chat_ledger.say("admin", "/export roster").messages
    assert message.attachment.endswith("roster-2026Q4.xlsx")
    assert load_workbook(message.attachment).active.max_row == 7


def test_exports_are_refused_to_non_admins(chat_ledger) -> None:
    sent = chat_ledger.say("m1", "/export ledger 2026Q4")
    assert [m.attachment for m in sent.messages] == [None]
    assert sent.to("m1") == ["只有本社区的管理员可以这样操作。"]


def test_an_unknown_export_is_explained(chat_ledger) -> None:
    assert "没有「工资」这种报表" in chat_ledger.say("admin", "/export 工资").to("admin")[0]


@pytest.mark.parametrize("kind", ["ledger", "roster", "units", "grades"])
def test_a_community_sees_only_its_own_rows(chat_ledger, kind: str, tmp_path) -> None:
    with transaction(chat_ledger.engine) as session:
        other = Community(name="光明社区")
        session.add(other)
        session.flush()
        scope = Scope(parse_period("2026Q4"), ZONE, [other.id])
        report = export_file(session, POLICY, kind, scope, "csv", tmp_path / "x.csv")
    assert report.rows == []


def test_grade_and_digest_settings_become_the_policy(monkeypatch) -> None:
    monkeypatch.setenv("WHISTLE_GRADE_EXCELLENT_HOURS", "30")
    monkeypatch.setenv("WHISTLE_DIGEST_WEEKDAY", "4")
    monkeypatch.setenv("WHISTLE_DIGEST_HOUR", "18")
    policy = Settings(_env_file=None).policy()
    assert (policy.grade_hours, policy.digest_weekday, policy.digest_hour) == (
        (30, 20, 8), 4, 18)
