"""A street office's (街道) admin acts for its communities in chat, and for no others."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlmodel import select

from handlers import roles
from storage.db import transaction
from storage.models import Admin, Community, Identity, Order
from tests.chat import Chat
from tests.districts import known, two_offices

NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"
ELSEWHERE = "您不是「明月社区」的管理员，不能替它操作。"
ADMIN_ONLY = "只有本社区的管理员可以这样操作。"


@pytest.fixture
def offices(chat: Chat) -> Chat:
    """东风街道 has 幸福里社区 (the demo's, group g1) and 阳光社区 (g2), with carol as its
    admin; 西湖街道 has 明月社区 (g3), with dave as its admin."""
    ids = two_offices(chat)
    with transaction(chat.engine) as session:
        for user, office in (("carol", "东风街道"), ("dave", "西湖街道")):
            session.add(Admin(channel="console", user_id=user, role="district",
                              district_id=ids[office]))
            known(session, user)
    return chat


def community_of(chat: Chat, order_id: int) -> str:
    with transaction(chat.engine) as session:
        order = session.get_one(Order, order_id)
        return session.get_one(Community, order.community_id).name


def test_the_district_admin_approves_in_their_communities_and_not_in_another(offices) -> None:
    offices.say("zhang", NEED, group="g1")
    offices.say("li", "3栋楼道灯坏了好几天了，请派人修一下", group="g2")
    offices.say("wu", "小区门口的路灯坏了，晚上很黑", group="g3")
    assert [community_of(offices, n) for n in (1, 2, 3)] == ["幸福里社区", "阳光社区", "明月社区"]

    assert "工单 #1 已通过，已吹哨。" in offices.say("carol", "/approve 1 sanitation").to("carol")
    assert "工单 #2 已通过，已吹哨。" in offices.say("carol", "/approve 2 safety").to("carol")
    assert offices.say("carol", "/approve 3 safety").to("carol") == [ADMIN_ONLY]
    assert offices.say("carol", "/order 3").to("carol") == [ADMIN_ONLY]
    pending = offices.say("carol", "/pending").to("carol")
    assert all("#3" not in text for text in pending)
    assert "工单 #3 已通过，已吹哨。" in offices.say("dave", "/approve 3 safety").to("dave")


def test_the_district_admin_whistles_in_their_groups_and_not_in_another(offices) -> None:
    called = offices.say("carol", "/whistle 环境保洁 2 周六上午 小区大扫除", group="g2")
    assert called.in_group("g2")
    assert community_of(offices, 1) == "阳光社区"
    assert offices.say("carol", "/whistle 环境保洁 2 周六上午 小区大扫除", group="g3").in_group(
        "g3") == [ADMIN_ONLY]
    with transaction(offices.engine) as session:
        assert len(session.exec(select(Order)).all()) == 1


def test_whistle_at_a_community_names_the_one_it_is_for(offices) -> None:
    called = offices.say("carol", "/whistle @阳光社区 环境保洁 2 周六上午 小区大扫除")
    assert called.in_group("g2")
    assert not called.in_group("g1")
    assert community_of(offices, 1) == "阳光社区"
    assert offices.say("carol", "吹哨 ＠幸福里 环境保洁 2 周六上午 小区大扫除").in_group("g1")
    assert community_of(offices, 2) == "幸福里社区"
    assert offices.say("carol", "/whistle @明月社区 环境保洁 2 周六 大扫除").to("carol") == [
        ELSEWHERE]
    assert offices.say("carol", "/whistle @星星社区 环境保洁 2 周六 大扫除").to("carol") == [
        "没有找到社区「星星社区」。"]


def test_whistle_outside_a_bound_group_asks_which_community(offices) -> None:
    assert offices.say("carol", "/whistle 环境保洁 2 周六上午 小区大扫除").to("carol") == [
        "您管理多个社区（幸福里社区、阳光社区），请问是哪个社区？请在命令后写上「@社区名」，"
        "例如「/whistle @幸福里社区 …」，或到已绑定该社区的群里发送。"]
    with transaction(offices.engine) as session:
        assert session.exec(select(Order)).all() == []


def test_a_community_admin_cannot_reach_past_their_community(offices) -> None:
    assert offices.say("admin", "/whistle @阳光社区 环境保洁 2 周六 大扫除").to("admin") == [
        "您不是「阳光社区」的管理员，不能替它操作。"]
    offices.say("admin", "/whistle 环境保洁 2 周六上午 小区大扫除")
    assert community_of(offices, 1) == "幸福里社区"


def test_a_need_with_no_community_admin_goes_to_its_own_street_office(offices) -> None:
    filed = offices.say("wu", "小区门口的路灯坏了，晚上很黑", group="g3")
    assert "@dave" in filed.recipients()
    assert "@carol" not in filed.recipients()


def test_the_scope_is_one_statement_for_a_resident_and_for_a_district_admin(offices) -> None:
    statements: list[str] = []
    event.listen(offices.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with transaction(offices.engine) as session:
        resident = Identity(channel="console", user_id="zhang")
        carol = Identity(channel="console", user_id="carol")
        nothing = roles.admin_scope(session, resident)
        scope = roles.admin_scope(session, carol)
    assert (nothing, bool(nothing)) == (roles.AdminScope(), False)
    assert len([s for s in statements if s.startswith("SELECT")]) == 2
    assert (len(scope.communities), scope.district) == (2, True)


def test_a_district_admin_reads_the_boards_of_their_communities_only(offices) -> None:
    assert offices.say("carol", "/top").to("carol") == [
        "您所在街道以外还有别的社区，请用 /top @社区名 查看某个社区的排行榜。"]
    assert offices.say("carol", "/top @阳光社区").to("carol")[0].startswith("阳光社区党员排行榜")
    assert offices.say("carol", "/top 次数 @明月社区").to("carol") == [
        "只能查看您所在或管辖社区的排行榜，「明月社区」不在其中。"]
    assert offices.say("m1", "/top @幸福里社区").to("m1")[0].startswith("幸福里社区党员排行榜")
    assert offices.say("m1", "/top @阳光社区").to("m1") == [
        "只能查看您所在或管辖社区的排行榜，「阳光社区」不在其中。"]
    assert offices.say("m1", "/top @火星").to("m1") == ["没有找到社区「火星」。"]
