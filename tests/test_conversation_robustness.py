"""A command typed mid-conversation is handled as that command, never saved as an answer;
the conversation says it was left, or puts its question again after a look-up. /register
asks for free time and skills, and a member changes their profile later (/me 修改)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.db import transaction
from storage.messaging import Conversation
from storage.models import Building, Community, Member
from tests.chat import Chat


def conversations(chat: Chat) -> list[tuple[str, str]]:
    with transaction(chat.engine) as session:
        return [(c.flow, c.step) for c in session.exec(select(Conversation)).all()]


def member_named(chat: Chat, name: str) -> Member:
    with transaction(chat.engine) as session:
        return session.exec(select(Member).where(Member.name == name)).one()


def test_a_look_up_mid_registration_answers_and_asks_again(chat: Chat) -> None:
    chat.say("newbie", "/register")
    chat.say("newbie", "周敏")
    helped = chat.say("newbie", "帮助").to("newbie")
    assert "居民" in helped[0]  # /help's guide, not a phone number refused
    assert helped[1].startswith("（继续刚才的问题）")
    assert "手机" in helped[1]
    assert conversations(chat) == [("register", "phone")]


def test_another_command_leaves_registration_and_says_so(chat: Chat) -> None:
    chat.say("newbie", "/register")
    chat.say("newbie", "周敏")
    answer = chat.say("newbie", "/need 3栋楼道灯坏了好几天了").to("newbie")
    assert "#1" in answer[0]
    assert answer[1] == "（注册已中断，需要时发送 /register 重新开始。）"
    assert conversations(chat) == []


def test_register_again_starts_afresh_without_a_note(chat: Chat) -> None:
    chat.say("newbie", "/register")
    chat.say("newbie", "周敏")
    again = chat.say("newbie", "注册").to("newbie")
    assert len(again) == 1
    assert "请问您的姓名" in again[0]
    assert conversations(chat) == [("register", "name")]


def test_a_quit_word_ends_the_flow(chat: Chat) -> None:
    chat.say("newbie", "/register")
    assert "已退出注册" in chat.say("newbie", "/cancel").to("newbie")[0]
    assert conversations(chat) == []


@pytest.mark.parametrize(("user", "start", "stopped"), [
    ("newbie", "/register", "已退出注册"),
    ("m1", "/me 修改", "好的，信息没有修改。"),
    ("admin", "代办", "已退出代办。"),
    ("zhang", "3栋楼道灯坏了好几天了，请派人修一下", "好的，这条诉求先不提交了。"),
], ids=["register", "profile", "behalf", "community"])
def test_a_cancel_word_ends_every_flow_with_its_own_words(chat: Chat, user: str, start: str,
                                                          stopped: str) -> None:
    with transaction(chat.engine) as session:
        session.add(Community(name="阳光社区"))  # two: a need asks which is the sender's
    chat.say(user, start)
    assert conversations(chat) != []

    said = chat.say(user, "算了").to(user)

    assert said[0].startswith(stopped)
    assert conversations(chat) == []


def test_registration_asks_free_time_and_skills(chat: Chat) -> None:
    chat.say("newbie", "/register")
    for answer in ("周敏", "13700000009", "区民政局", "第二网格"):
        last = chat.say("newbie", answer)
    assert "有空" in last.to("newbie")[0]
    assert "技能" in chat.say("newbie", "工作日晚上").to("newbie")[0]
    chat.say("newbie", "电脑维修")
    chat.say("newbie", "7")
    member = member_named(chat, "周敏")
    assert (member.free_time, member.skills) == ("工作日晚上", "电脑维修")


def test_a_member_changes_their_profile_step_by_step(chat: Chat) -> None:
    assert "空闲时间" in chat.say("m1", "/me 修改").to("m1")[0]
    assert "有空" in chat.say("m1", "空闲时间").to("m1")[0]
    assert chat.say("m1", "周末").to("m1") == ["已更新您的空闲时间。发送 /me 查看。"]
    assert "空闲时间：周末" in chat.say("m1", "/me").to("m1")[0]


def test_a_member_changes_an_item_at_once(chat: Chat) -> None:
    chat.say("m1", "我的信息 修改 特长 电工 急救")
    assert member_named(chat, "李明").skills == "电工 急救"
    chat.say("m1", "/me 修改 4")  # 网格, by its number
    assert "没有找到这个网格" in chat.say("m1", "第九网格").to("m1")[0]
    chat.say("m1", "第二网格")
    with transaction(chat.engine) as session:
        grid = session.get(Member, member_named(chat, "李明").id).grid_id
    assert grid is not None
    assert conversations(chat) == []


def test_a_member_says_which_building_they_live_in(chat: Chat) -> None:
    assert "3栋" in chat.say("m1", "/me 修改 楼栋").to("m1")[0]
    assert chat.say("m1", "9栋").to("m1")[0].startswith("没有找到这栋楼")
    assert chat.say("m1", "3号楼").to("m1") == ["已更新您的楼栋。发送 /me 查看。"]
    with transaction(chat.engine) as session:
        member = session.get_one(Member, member_named(chat, "李明").id)
        building = session.exec(select(Building).where(Building.name == "3栋")).one()
        assert (member.building_id, member.grid_id) == (building.id, building.grid_id)


def test_an_unknown_item_is_asked_again(chat: Chat) -> None:
    chat.say("m1", "/me 修改")
    assert "没有「身高」这一项" in chat.say("m1", "身高").to("m1")[0]
    assert conversations(chat) == [("profile", "item")]
