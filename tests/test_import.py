"""Member bulk import: all rows or none, with a report by row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import func, select
from typer.testing import CliRunner

from bot.cli import app
from handlers.reports.importer import COLUMNS, ImportFileError, import_members
from storage.db import transaction
from storage.models import Identity, Member, Unit
from tests.chat import Chat
from tests.conftest import START

GOOD = [
    ("孙丽", "139 0000 0007", "幸福里社区", "第一网格", "区税务局", "便民服务、环境保洁", "理发",
     "周末"),
    ("周涛", "+8613900000008", "幸福里社区", "", "区图书馆", "政策宣传", "", "工作日晚上"),
    ("吴敏", "13900000009", "幸福里", "第二网格", "区图书馆", "全部", "", ""),
]


def write_csv(path: Path, rows: list[tuple], header: tuple = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([header, *rows])
    return path


def write_xlsx(path: Path, rows: list[tuple]) -> Path:
    book = Workbook()
    book.active.append(list(COLUMNS))
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


def members(chat: Chat) -> dict[str, Member]:
    with transaction(chat.engine) as session:
        return {m.name: m for m in session.exec(select(Member)).all()}


def run_import(chat: Chat, path: Path) -> tuple[int, list[str]]:
    with transaction(chat.engine) as session:
        count, problems = import_members(session, path, START)
    return count, [str(p) for p in problems]


def test_a_good_file_imports_every_row(chat_on_each_database: Chat, tmp_path) -> None:
    chat = chat_on_each_database
    assert run_import(chat, write_csv(tmp_path / "m.csv", GOOD)) == (3, [])
    found = members(chat)
    assert (found["孙丽"].phone, found["孙丽"].duties, found["孙丽"].free_time) == (
        "13900000007", ["convenience", "sanitation"], "周末")
    assert found["周涛"].phone == "13900000008"
    assert found["周涛"].grid_id is None
    assert len(found["吴敏"].duties) == 8
    with transaction(chat.engine) as session:
        units = session.exec(select(Unit.name, func.count(Member.id)).join(
            Member, Member.unit_id == Unit.id).group_by(Unit.name)).all()
    assert dict(units)["区图书馆"] == 2
    assert dict(units)["区税务局"] == 2


def test_one_bad_row_imports_nothing_and_is_reported(chat_on_each_database: Chat,
                                                      tmp_path) -> None:
    chat = chat_on_each_database
    rows = [*GOOD, ("郑华", "12345", "幸福里社区", "第九网格", "区图书馆", "修电脑", "", "")]
    count, problems = run_import(chat, write_csv(tmp_path / "m.csv", rows))
    assert count == 0
    assert problems == [
        "第 5 行「手机」：「12345」不是有效的手机号",
        "第 5 行「网格」：「幸福里社区」没有「第九网格」这个网格",
        "第 5 行「职责」：没有「修电脑」这个职责类别",
    ]
    assert len(members(chat)) == 6


def test_repeated_and_registered_phones_and_blanks_are_problems(chat: Chat, tmp_path) -> None:
    rows = [GOOD[0], ("孙丽丽", "13900000007", "幸福里社区", "", "区税务局", "便民服务", "", ""),
            ("李明", "13800000001", "幸福里社区", "", "区税务局", "便民服务", "", ""),
            ("", "", "火星社区", "", "", "", "", "")]
    _count, problems = run_import(chat, write_csv(tmp_path / "m.csv", rows))
    assert problems == [
        "第 3 行「手机」：与第 2 行的手机号重复",
        "第 4 行「手机」：手机号 13800000001 已有党员登记",
        "第 5 行「姓名」：不能为空", "第 5 行「手机」：不能为空", "第 5 行「单位」：不能为空",
        "第 5 行「职责」：不能为空", "第 5 行「社区」：没有找到社区「火星社区」。",
    ]


def test_an_xlsx_sheet_with_phones_as_numbers_imports(chat: Chat, tmp_path) -> None:
    rows = [(*GOOD[0][:1], 13900000007, *GOOD[0][2:])]
    assert run_import(chat, write_xlsx(tmp_path / "m.xlsx", rows)) == (1, [])
    assert members(chat)["孙丽"].phone == "13900000007"


def test_a_sheet_without_the_columns_is_refused(chat: Chat, tmp_path) -> None:
    path = write_csv(tmp_path / "m.csv", [("孙丽", "13900000007")], header=("名字", "电话"))
    with pytest.raises(ImportFileError, match="表头缺少这些列：姓名、手机、社区、单位、职责"):
        run_import(chat, path)


def test_registering_with_an_imported_phone_binds_to_that_member(chat: Chat, tmp_path) -> None:
    run_import(chat, write_csv(tmp_path / "m.csv", GOOD[:1]))
    for answer in ("/register", "孙丽", "13900000007", "区税务局", "跳过", "跳过", "跳过", "1"):
        chat.say("sun", answer)
    found = members(chat)
    with transaction(chat.engine) as session:
        bound = session.exec(select(Identity).where(Identity.user_id == "sun")).one()
    assert len(found) == 7
    assert bound.member_id == found["孙丽"].id
    assert (found["孙丽"].grid_id is not None, found["孙丽"].skills, found["孙丽"].free_time,
            found["孙丽"].duties) == (True, "理发", "周末", ["party_building"])


def test_the_import_command_reports_rows_and_exits_nonzero(tmp_path) -> None:
    runner = CliRunner()
    env = {"WHISTLE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    runner.invoke(app, ["demo"], env=env)
    bad = write_csv(tmp_path / "bad.csv", [*GOOD, ("郑华", "12345", "幸福里社区", "", "区图书馆",
                                                  "便民服务", "", "")])
    result = runner.invoke(app, ["import", "members", str(bad)], env=env)
    assert result.exit_code == 1
    assert "第 5 行「手机」：「12345」不是有效的手机号" in result.output
    good = runner.invoke(app, ["import", "members", str(write_csv(tmp_path / "g.csv", GOOD))],
                         env=env)
    assert (good.exit_code, good.output.strip()) == (0, f"imported 3 members from {tmp_path}/g.csv")
    unreadable = runner.invoke(app, ["import", "members", str(tmp_path / "m.txt")], env=env)
    assert unreadable.exit_code == 2


def test_a_corrupt_workbook_is_refused(chat: Chat, tmp_path) -> None:
    path = tmp_path / "m.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(ImportFileError, match="m.xlsx 读取失败"):
        run_import(chat, path)


def test_a_csv_saved_by_excel_on_chinese_windows_imports(chat: Chat, tmp_path) -> None:
    path = tmp_path / "m.csv"  # Excel's "CSV" on a Chinese Windows is GBK, not UTF-8
    with path.open("w", encoding="gbk", newline="") as out:
        csv.writer(out).writerows([COLUMNS, *GOOD[:2]])
    assert run_import(chat, path) == (2, [])
    assert members(chat)["孙丽"].skills == "理发"
