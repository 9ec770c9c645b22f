"""The district workbook (组织架构导入表): its sheets and columns, and the blank template.

One workbook sets up a whole street office: 社区, 网格, 楼栋, 单位 and 党员, each on its own
sheet with Chinese headers, plus a 说明 sheet that explains every column. `whistle import`
reads the same layout back (see :mod:`handlers.reports.workbook`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from handlers.organisation.structure import KIND_NAMES
from handlers.reports.importer import COLUMNS as MEMBER_COLUMNS
from handlers.texts import t
from nlu import DUTIES


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its header, whether a row needs it, and what goes in it."""

    header: str
    required: bool
    explained: str


DUTY_NAMES = "、".join(DUTIES.values())
SHEETS: dict[str, tuple[Column, ...]] = {
    "社区": (
        Column("社区", True, "社区全称，如“新风社区”；按名称对应，已有的社区会被更新"),
        Column("街道", False, "所属街道办事处，如“东风街道”；没有的会自动建立；不填则不改"),
    ),
    "网格": (
        Column("社区", True, "网格所属社区，须在“社区”表或系统中已有"),
        Column("网格", True, "网格名称，如“第一网格”；同一社区内不重名"),
    ),
    "楼栋": (
        Column("社区", True, "楼栋所属社区"),
        Column("楼栋", True, "楼栋名称，与居民说的一致，如“5栋”“3号楼”；同一社区内不重名"),
        Column("网格", False, "楼栋所在网格，可空；填写时须是该社区已有的网格"),
        Column("纬度", False, "WGS-84 坐标（手机定位、微信位置的坐标），如 30.5728；"
               "与经度一起填写，作为该楼栋工单签到范围的中心；百度、高德地图上取的坐标须先转换"),
        Column("经度", False, "WGS-84 经度，如 104.0668；与纬度一起填写"),
    ),
    "单位": (
        Column("单位", True, "党员的工作单位全称；按名称对应"),
        Column("类别", False, f"单位类别：{KIND_NAMES}；不填为“其他”"),
    ),
    "党员": (
        Column("姓名", True, "党员姓名，30 字以内"),
        Column("手机", True, "11 位手机号；按手机号对应已有党员，党员用同一手机号 /register "
               "即绑定本条记录；换了手机号的，按同一社区的同名党员对应"),
        Column("社区", True, "报到的社区"),
        Column("网格", False, "所在网格，可空"),
        Column("单位", True, "工作单位；“单位”表没有的会自动建立（类别为“其他”）"),
        Column("职责", True, f"认领的职责，用顿号分隔，可选：{DUTY_NAMES}；或填“全部”"),
        Column("技能", False, "特长，如“水电维修”"),
        Column("空闲时间", False, "如“周末”“工作日晚上”"),
        Column("楼栋", False, "党员住的楼栋，可空；须是该社区“楼栋”表或系统中已有的楼栋。"
               "吹哨时同楼栋的党员优先；不填网格时按楼栋所在网格"),
    ),
}
"""The sheets in the order they are imported: each needs only the ones before it."""

EXAMPLES: dict[str, tuple[object, ...]] = {
    "社区": ("新风社区", "东风街道"),
    "网格": ("新风社区", "第一网格"),
    "楼栋": ("新风社区", "5栋", "第一网格", 30.5728, 104.0668),
    "单位": ("区税务局", "机关"),
    "党员": ("李明", "13800000001", "新风社区", "第一网格", "区税务局", "便民服务、平安守护",
           "水电维修", "周末", "5栋"),
}
GUIDE = "说明"
GUIDE_HEADER = ("表", "列", "必填", "说明")
BOLD = Font(bold=True)

# The member sheet is the one `whistle import members` reads: one set of columns, one check.
if tuple(c.header for c in SHEETS["党员"]) != MEMBER_COLUMNS:
    raise AssertionError("the 党员 sheet must keep the member import's columns")


def write_template(path: Path) -> str:
    """Write the blank workbook: every sheet with its headers and one example row.

    Returns:
        What to tell the operator.
    """
    book = Workbook()
    book.remove(book.active)
    for title, columns in SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.append([c.header for c in columns])
        sheet.append(list(EXAMPLES[title]))
        for cell in sheet[1]:
            cell.font = BOLD
        for letter in "ABCDEFGH"[:len(columns)]:
            sheet.column_dimensions[letter].width = 16
    guide = book.create_sheet(GUIDE)
    guide.append(list(GUIDE_HEADER))
    for cell in guide[1]:
        cell.font = BOLD
    guide.append(["", "", "", "第二行是示例，请改成实际内容或删除；导入时全部成功才生效，"
                  "有错则一行也不导入，并逐行列出问题。再次导入修改后的表会更新已有记录。"])
    for title, columns in SHEETS.items():
        for column in columns:
            guide.append([title, column.header, "是" if column.required else "否",
                          column.explained])
    guide.column_dimensions["D"].width = 90
    book.save(path)
    return t("workbook_template_written", name=path.name, sheets="、".join(SHEETS))
