"""`whistle community|grid|building|unit|admin|member`: one Chinese line, never a traceback."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli import app


@pytest.fixture
def whistle(tmp_path):
    """Run `whistle ARGS` on a database of its own; returns (exit code, stdout and stderr)."""
    runner = CliRunner()
    env = {"WHISTLE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args), env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        return result.exit_code, (result.stdout + result.stderr).strip()

    return run


def test_a_district_is_set_up_from_nothing(whistle) -> None:
    assert whistle("community", "add", "新风社区", "--district", "东风街道") == (
        0, "已添加社区「新风社区」，属于东风街道。")
    assert whistle("grid", "add", "新风社区", "第一网格")[0] == 0
    assert whistle("building", "add", "新风社区", "5栋", "--grid", "第一网格", "--lat",
                   "30.5728", "--lon", "104.0668") == (
        0, "已在「新风社区」添加楼栋「5栋」，坐标 30.5728, 104.0668。")
    assert whistle("unit", "add", "区税务局", "--kind", "机关") == (
        0, "已添加单位「区税务局」（机关）。")
    assert whistle("admin", "add", "bob", "--community", "新风社区") == (
        0, "console:bob 现在是「新风社区」的管理员。")
    assert whistle("admin", "add", "carol", "--district", "东风街道")[0] == 0
    assert whistle("admin", "list") == (0, "console:bob｜新风社区\nconsole:carol｜东风街道")
    assert whistle("community", "list") == (
        0, "新风社区｜东风街道｜网格 1 个｜楼栋 1 栋｜在册党员 0 人")
    assert whistle("community", "rename", "新风社区", "新风里社区")[0] == 0
    assert whistle("admin", "remove", "bob", "--community", "新风里社区") == (
        0, "console:bob 不再是「新风里社区」的管理员。")


@pytest.mark.parametrize(("args", "expected"), [
    (("admin", "add", "bob", "--community", "新风社区"), "没有找到社区「新风社区」。"),
    (("admin", "add", "bob"), "请指定 --community 社区名 或 --district 街道名（二选一）。"),
    (("community", "add", "幸福里社区"), "社区「幸福里社区」已经存在。"),
    (("community", "add", " "), "名称不能为空。"),
    (("grid", "add", "幸福里社区", "第一网格"), "「幸福里社区」已有网格「第一网格」。"),
    (("building", "add", "幸福里社区", "9栋", "--lat", "30.5"), "纬度和经度要一起填写。"),
    (("building", "add", "幸福里社区", "9栋", "--lat", "95", "--lon", "104"),
     "纬度「95.0」不对，应在 -90 到 90 之间。"),
    (("building", "add", "幸福里社区", "9栋", "--grid", "第九网格"),
     "「幸福里社区」没有「第九网格」这个网格"),
    (("unit", "add", "某公司", "--kind", "外企"),
     "没有「外企」这个单位类别，可选：机关、事业单位、国企、两新组织、其他。"),
    (("member", "deactivate", "13900000000"), "没有手机号为 13900000000 的党员。"),
    (("member", "list", "--community", "火星社区"), "没有找到社区「火星社区」。"),
])
def test_bad_input_is_one_chinese_line_and_exit_code_2(whistle, args, expected) -> None:
    whistle("demo")
    assert whistle(*args) == (2, expected)


def test_a_deactivated_member_is_marked_on_the_roll(whistle) -> None:
    whistle("demo")
    assert whistle("member", "deactivate", "13800000001")[1].startswith("已停用党员李明")
    code, out = whistle("member", "list", "--community", "幸福里社区", "--json")
    roll = json.loads(out)
    assert code == 0
    assert len(roll) == 6
    assert [(m["name"], m["active"]) for m in roll if not m["active"]] == [("李明", False)]
    assert whistle("member", "list")[1].splitlines()[0] == (
        "李明｜13800000001｜幸福里社区｜第一网格｜区税务局｜已停用")
    assert whistle("community", "list")[1].endswith("在册党员 5 人")


def test_the_template_imports_as_it_is_and_a_bad_one_exits_1(whistle, tmp_path) -> None:
    template = tmp_path / "街道.xlsx"
    assert whistle("template", str(template))[1].startswith("已生成 街道.xlsx")
    code, out = whistle("import", str(template))
    assert (code, out.splitlines()[0]) == (0, "「社区」表：新增 1 条，更新 0 条")
    book = load_workbook(template)
    book["楼栋"]["D2"] = "北纬三十度"
    book.save(template)
    assert whistle("import", str(template)) == (
        1, "「楼栋」表第 2 行「纬度」：「北纬三十度」不是数字。\n"
           "一行也没有导入：共 1 处问题，改正后请重新导入。")
    assert whistle("import", "members", str(tmp_path / "无.csv"))[0] == 2
