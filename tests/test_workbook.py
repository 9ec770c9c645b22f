"""The district workbook: a fresh database set up from one filled-in template, then run."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import event
from sqlmodel import func, select

from handlers.organisation import admins
from handlers.reports.workbook import WorkbookRefused, import_workbook, summary
from handlers.reports.workbook_template import GUIDE, SHEETS, write_template
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.models import Building, Community, Grid, Identity, Member, Unit, UnitKind
from tests.chat import Chat
from tests.conftest import START

ROWS: dict[str, list[tuple]] = {
    "社区": [("新风社区", "东风街道"), ("阳光社区", "东风街道")],
    "网格": [("新风社区", "第一网格"), ("阳光社区", "第一网格"), ("阳光社区", "第二网格")],
    "楼栋": [("新风社区", "1栋", "第一网格", 30.57, 104.06),
           ("阳光社区", "5栋", "第一网格", 30.58, 104.07), ("阳光社区", "6栋", "", None, None)],
    "单位": [("区税务局", "机关"), ("市第一人民医院", "事业单位")],
    "党员": [("李明", "13800000001", "新风社区", "第一网格", "区税务局", "环境保洁", "", ""),
           ("张伟", "13800000002", "阳光社区", "", "市第一人民医院", "环境保洁、便民服务",
            "", "周末", "5号楼"),
           ("王芳", "13800000003", "阳光社区", "第二网格", "区税务局", "环境保洁", "", ""),
           ("刘洋", "13800000004", "阳光社区", "", "区供电公司", "文明倡导", "", "")],
}
ACCOUNTS = {"13800000001": "li", "13800000002": "zhangwei", "13800000003": "wang",
            "13800000004": "liu"}


def filled(path: Path, rows: dict[str, list[tuple]]) -> Path:
    """The template with its example rows replaced by ``rows``."""
    book = load_workbook(path)
    for title, sheet_rows in rows.items():
        sheet = book[title]
        sheet.delete_rows(2, sheet.max_row)
        for row in sheet_rows:
            sheet.append(list(row))
    book.save(path)
    return path


def run_import(engine, path: Path) -> list[str]:
    with transaction(engine) as session:
        return summary(import_workbook(session, path, START))


def test_the_template_has_every_sheet_and_explains_every_column(tmp_path) -> None:
    write_template(tmp_path / "t.xlsx")
    book = load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == [*SHEETS, GUIDE]
    for title, columns in SHEETS.items():
        assert [c.value for c in book[title][1]] == [c.header for c in columns]
        assert book[title].max_row == 2  # one example row
    explained = {(row[0], row[1]) for row in book[GUIDE].iter_rows(min_row=3, values_only=True)}
    assert explained == {(title, c.header) for title, columns in SHEETS.items()
                         for c in columns}


def test_a_fresh_district_from_the_workbook_whistles_only_its_community(
        engine, settings, tmp_path) -> None:
    write_template(tmp_path / "d.xlsx")
    path = filled(tmp_path / "d.xlsx", ROWS)
    assert run_import(engine, path) == [
        "「社区」表：新增 2 条，更新 0 条", "「网格」表：新增 3 条，更新 0 条",
        "「楼栋」表：新增 3 条，更新 0 条", "「单位」表：新增 2 条，更新 0 条",
        "「党员」表：新增 4 条，更新 0 条"]
    with transaction(engine) as session:
        for member in session.exec(select(Member)).all():  # as /register would bind them
            session.add(Identity(channel="console", user_id=ACCOUNTS[member.phone],
                                 member_id=member.id))
        admins.grant(session, "console", "admin2", admins.scope(session, "阳光社区", None))
        located = session.exec(select(Building).where(Building.name == "5栋")).one()
        assert (located.lat, located.lon, located.grid_id is not None) == (30.58, 104.07, True)
        assert session.exec(select(Unit.kind).where(Unit.name == "区税务局")).one() == (
            UnitKind.AGENCY)
        zhang = session.exec(select(Member).where(Member.name == "张伟")).one()
        # 5号楼 is the community's 5栋, and its grid stands in for the empty 网格
        assert (zhang.building_id, zhang.grid_id) == (located.id, located.grid_id)
    chat = Chat(engine, settings, START)
    chat.say("admin2", "/bind 阳光社区", group="g2")
    chat.say("resident", "5栋门口的垃圾三天没人清运了，请社区派人处理", group="g2")
    approved = chat.say("admin2", "/approve 1 sanitation")
    assert approved.recipients() - {"@resident", "@admin2"} == {"@zhangwei", "@wang", "#g2"}

    rows = dict(ROWS)
    moved_on = ("张伟", "13900000002", "阳光社区", "第二网格", "市第一人民医院", "环境保洁", "", "")
    rows["党员"] = [ROWS["党员"][0], moved_on, *ROWS["党员"][2:]]
    assert run_import(engine, filled(path, rows))[-1] == "「党员」表：新增 0 条，更新 4 条"
    with transaction(engine) as session:
        moved = session.exec(select(Member, Grid.name).join(
            Grid, Grid.id == Member.grid_id).where(Member.name == "张伟")).one()
        count = session.exec(select(func.count(Member.id))).one()
    assert (moved[0].phone, moved[1], count) == ("13900000002", "第二网格", 4)


def test_a_bad_row_is_reported_by_sheet_row_and_column_and_nothing_is_imported(
        engine, tmp_path) -> None:
    write_template(tmp_path / "d.xlsx")
    rows = dict(ROWS)
    rows["楼栋"] = [*ROWS["楼栋"], ("阳光社区", "7栋", "", 95, 104.0)]
    stranger = ("赵强", "12345", "火星社区", "", "区税务局", "环境保洁", "", "")
    homeless = ("钱进", "13800000009", "阳光社区", "", "区税务局", "环境保洁", "", "", "9栋")
    rows["党员"] = [*ROWS["党员"], stranger, homeless]
    with pytest.raises(WorkbookRefused) as refused, transaction(engine) as session:
        import_workbook(session, filled(tmp_path / "d.xlsx", rows), START)
    assert [str(p) for p in refused.value.problems] == [
        "「楼栋」表第 5 行「纬度」：纬度「95」不对，应在 -90 到 90 之间。",
        "「党员」表第 6 行「手机」：「12345」不是有效的手机号",
        "「党员」表第 6 行「社区」：没有找到社区「火星社区」。",
        "「党员」表第 7 行「楼栋」：「阳光社区」没有「9栋」这栋楼，请先在“楼栋”表里登记",
    ]
    assert str(refused.value) == "一行也没有导入：共 4 处问题，改正后请重新导入。"
    with transaction(engine) as session:
        assert session.exec(select(Community)).all() == []


def test_a_sheet_without_a_required_column_is_refused(sqlite_engine, tmp_path) -> None:
    book = Workbook()
    book.active.title = "网格"
    book.active.append(["社区"])
    book.save(tmp_path / "g.xlsx")
    with pytest.raises(WorkbookRefused) as refused, transaction(sqlite_engine) as session:
        import_workbook(session, tmp_path / "g.xlsx", START)
    assert [str(p) for p in refused.value.problems] == ["「网格」表第 1 行「网格」：表头缺少这一列"]



def statements_to_import(path: Path, members: int) -> int:
    """Statements other than INSERTs a fresh database takes to import the workbook with
    ``members`` rows: the reads and updates, which are per sheet, never per row."""
    engine = make_engine(f"sqlite:///{path.with_suffix('.db')}")
    upgrade(engine)
    write_template(path)
    filled(path, {**ROWS, "党员": [
        (f"党员{n}", f"139{n:08d}", "阳光社区", "第一网格", f"单位{n % 7}", "环境保洁", "", "")
        for n in range(members)]})
    seen: list[str] = []

    def count(*args: object) -> None:
        if not str(args[2]).startswith("INSERT"):
            seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    run_import(engine, path)
    engine.dispose()
    return len(seen)


def test_the_lookups_do_not_grow_with_the_rows(tmp_path) -> None:
    assert statements_to_import(tmp_path / "few.xlsx", 5) == statements_to_import(
        tmp_path / "many.xlsx", 300)
