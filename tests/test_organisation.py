"""Setting up a district: communities, grids, buildings, units, admins, and members who left."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import select

from handlers.errors import SetupRefused
from handlers.ledger import boards, quotas
from handlers.orders import whereabouts
from handlers.organisation import admins, buildings, members, structure
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.models import Admin, Building, Community, Order, UnitKind, stored_id
from tests.chat import POLICY, Chat

NEED = "5栋门口的垃圾三天没人清运了，请社区派人处理"


def refusal(engine: Engine, action, *args: object) -> str:
    with pytest.raises(SetupRefused) as refused, transaction(engine) as session:
        action(session, *args)
    return str(refused.value)


def test_a_community_is_added_under_its_street_office_and_listed(engine) -> None:
    with transaction(engine) as session:
        structure.add_community(session, "新风社区", "东风街道")
        structure.add_community(session, "阳光社区")
        structure.add_grid(session, "新风社区", "第一网格")
        buildings.add_building(session, "新风社区", "5栋", "第一网格", 30.5728, 104.0668)
    with transaction(engine) as session:
        rows = [str(row) for row in structure.community_rows(session)]
    assert rows == ["新风社区｜东风街道｜网格 1 个｜楼栋 1 栋｜在册党员 0 人",
                    "阳光社区｜未设街道｜网格 0 个｜楼栋 0 栋｜在册党员 0 人"]
    assert refusal(engine, structure.add_community, "新风社区") == "社区「新风社区」已经存在。"


def test_a_community_is_renamed_but_never_onto_another(engine) -> None:
    with transaction(engine) as session:
        structure.add_community(session, "新风社区")
        structure.add_community(session, "阳光社区")
        structure.rename_community(session, "新风社区", "新风里社区")
    assert refusal(engine, structure.rename_community, "新风里社区", "阳光社区") == (
        "社区「阳光社区」已经存在。")
    assert refusal(engine, structure.rename_community, "火星社区", "x") == (
        "没有找到社区「火星社区」。")


@pytest.mark.parametrize(("lat", "lon", "expected"), [
    (30.5, None, "纬度和经度要一起填写。"),
    (None, 104.0, "纬度和经度要一起填写。"),
    (91.0, 104.0, "纬度「91.0」不对，应在 -90 到 90 之间。"),
    (30.5, -181.0, "经度「-181.0」不对，应在 -180 到 180 之间。"),
    (float("nan"), 104.0, "纬度「nan」不对，应在 -90 到 90 之间。"),
])
def test_a_building_needs_both_coordinates_on_the_globe(sqlite_engine, lat, lon,
                                                        expected) -> None:
    with transaction(sqlite_engine) as session:
        structure.add_community(session, "新风社区")
    assert refusal(sqlite_engine, buildings.add_building, "新风社区", "5栋", None, lat,
                   lon) == expected


def test_a_building_may_have_no_grid_but_not_an_unknown_one(sqlite_engine) -> None:
    with transaction(sqlite_engine) as session:
        structure.add_community(session, "新风社区")
        assert buildings.add_building(session, "新风社区", "5栋").grid_id is None
    assert refusal(sqlite_engine, buildings.add_building, "新风社区", "6栋", "第九网格") == (
        "「新风社区」没有「第九网格」这个网格")
    assert refusal(sqlite_engine, buildings.add_building, "新风社区", "5栋") == (
        "「新风社区」已有楼栋「5栋」。")


def test_a_place_names_a_building_by_its_number_but_not_by_a_shorter_one(
        sqlite_engine) -> None:
    with transaction(sqlite_engine) as session:
        community = structure.add_community(session, "新风社区")
        buildings.add_building(session, "新风社区", "5栋", None, 30.0, 104.0)
        buildings.add_building(session, "新风社区", "6栋")  # no coordinates: still a building
        found = {place: whereabouts.named_building(session, stored_id(community), place)
                 for place in ("5栋", "新风小区5栋", "15栋", "6号楼", "")}
    assert {place: b.name if b else None for place, b in found.items()} == {
        "5栋": "5栋", "新风小区5栋": "5栋", "15栋": None, "6号楼": "6栋", "": None}


def test_a_unit_has_one_of_the_five_kinds(sqlite_engine) -> None:
    with transaction(sqlite_engine) as session:
        assert structure.add_unit(session, "区税务局", "机关").kind is UnitKind.AGENCY
        assert structure.add_unit(session, "某科技公司").kind is UnitKind.OTHER
    assert refusal(sqlite_engine, structure.add_unit, "某外企", "外企") == (
        "没有「外企」这个单位类别，可选：机关、事业单位、国企、两新组织、其他。")


def test_an_admin_is_granted_for_a_community_or_a_street_office(engine) -> None:
    with transaction(engine) as session:
        structure.add_community(session, "新风社区", "东风街道")
        for _ in range(2):  # granting again changes nothing
            admins.grant(session, "console", "bob", admins.scope(session, "新风社区", None))
        admins.grant(session, "console", "carol", admins.scope(session, None, "东风街道"))
        lines = admins.admin_lines(session)
        roles = session.exec(select(Admin.user_id, Admin.role, Admin.district_id)).all()
    assert lines == ["console:bob｜新风社区", "console:carol｜东风街道"]
    assert sorted(r[:2] for r in roles) == [("bob", "community"), ("carol", "district")]
    assert refusal(engine, admins.scope, None, None) == (
        "请指定 --community 社区名 或 --district 街道名（二选一）。")
    assert refusal(engine, admins.scope, "新风社区", "东风街道") == refusal(
        engine, admins.scope, None, None)
    assert "没有找到街道「西风街道」" in refusal(engine, admins.scope, None, "西风街道")
    with transaction(engine) as session:
        admins.revoke(session, "console", "bob", admins.scope(session, "新风社区", None))
        assert admins.admin_lines(session) == ["console:carol｜东风街道"]


def test_a_member_who_left_is_never_whistled_nor_assigned(chat: Chat) -> None:
    with transaction(chat.engine) as session:
        assert "已停用党员李明" in members.set_active(session, "138 0000 0001", active=False)
    chat.say("zhang", NEED)
    approved = chat.say("admin", "/approve 1 sanitation")
    assert "@m1" not in approved.recipients()
    assert {"@m4", "@m6"} <= approved.recipients()
    assert chat.say("admin", "/assign 1 李明").to("admin") == ["本社区没有找到党员「李明」。"]


def test_a_member_who_left_is_not_held_to_quota_nor_ranked(chat: Chat) -> None:
    with transaction(chat.engine) as session:
        members.set_active(session, "13800000002", active=False)
        community = session.exec(select(Community)).one()
        below = quotas.below_quota(session, community, POLICY, (2027, 1))
        roll = members.roll(session, "幸福里")
    assert "张伟" not in {m.name for m in below}
    assert "李明" in {m.name for m in below}
    assert [row["active"] for row in roll if row["name"] == "张伟"] == [False]
    chat.say("admin", "/whistle 扶贫济困 2 周六9点 走访困难户")
    for member in ("m2", "m6"):
        chat.press(member, "accept:1")
    chat.say("m2", "/checkin 1")
    chat.say("m2", "/done 1")
    with transaction(chat.engine) as session:
        ranked = boards.compute(session, None, "member", "services")
    assert "张伟" not in {line.name for line in ranked}


def test_deactivating_an_unknown_phone_is_refused(sqlite_engine) -> None:
    assert refusal(sqlite_engine, members.set_active, "13900000000", False) == (
        "没有手机号为 13900000000 的党员。")
    assert refusal(sqlite_engine, members.set_active, "12345", False) == (
        "「12345」不是有效的手机号")


def test_an_order_at_a_located_building_is_checked_in_near_it(chat: Chat) -> None:
    with transaction(chat.engine) as session:
        stored = session.exec(select(Building).where(Building.name == "5栋")).one()
        stored.lat, stored.lon = 31.2304, 121.4737
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    with transaction(chat.engine) as session:
        order = session.get(Order, 1)
        assert (order.lat, order.lon) == (31.2304, 121.4737)
    chat.press("m4", "accept:1")
    far = chat.say("m4", "/checkin 1", location=(31.2404, 121.4737))
    assert "超出 500 米" in far.to("m4")[0]


def test_the_migration_gives_each_building_its_grids_community(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0006")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO community (id, name, timezone, auto_approve) "
                                "VALUES (7, '老社区', 'Asia/Shanghai', false)"))
        connection.execute(text("INSERT INTO grid (id, community_id, name) VALUES (3, 7, '一')"))
        connection.execute(text("INSERT INTO building (grid_id, name) VALUES (3, '1栋')"))
    upgrade(engine)
    with transaction(engine) as session:
        building = session.exec(select(Building)).one()
    assert (building.community_id, building.grid_id, building.lat) == (7, 3, None)
    engine.dispose()
