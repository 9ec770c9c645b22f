"""Asking how to use the bot gets the guide, never an order."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from nlu import asks_for_guide
from storage.models import Order

QUESTIONS = ["怎么用", "怎么弄？", "有什么功能", "帮助", "菜单", "你好，请问这个怎么用呀",
             "小助手能做什么", "这是干什么的", "怎么提交诉求", "我想问一下怎么注册", "怎么报名😊",
             "这咋整啊 不会用", "请问这个小助手能帮我们做什么", "我不会弄这个 谁教一下",
             "怎么查看我的积分", "小助手怎么不理我", "小哨能帮我交电费不",
             "怎么用这个机器人发诉求啊", "我想问问这个机器人能帮我交电费不",
             "小哨怎么查我提交的诉求", "小助手怎么报事", "怎么查我报的事进度",
             "这个怎么用来反映问题", "怎么在这里反映问题", "报修是发给你吗",
             "这个小助手是不是只能报修 别的事能问吗",
             # The bot named in the middle, how a need is put to it, calling it in the group.
             "怎么在这个小助手里面看我的积分", "咋通过机器人提交诉求", "咋用小助手报事 能发语音不",
             "群里可以艾特小哨吗 它都能做啥",
             # What was sent met silence, or the bot seems broken; who cannot use it.
             "刚刚提交的问题还没人回复", "我发的单子咋没人接单", "昨天报了没反应 是不是坏了",
             "小程序咋用 我爸不会", "请问如何使用小助手报事", "有没有人会用机器人报修"]
NEEDS = ["水管坏了怎么弄", "3栋楼道的灯坏了，怎么办", "楼下垃圾没人收，怎么处理",
         "老人行动不便，有什么办法帮忙买药吗", "电视不会弄", "我妈不会用手机交电费",
         "能帮我交电费吗", "水管坏了怎么报修", "怎么在手机上交燃气费 我妈不会",
         "楼道灯坏了好几天 发照片可以吗", "楼道灯坏了没人修", "路灯坏了没人管 是不是坏了",
         "水管怎么弄 我妈不会"]


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_about_the_bot_asks_for_the_guide(text):
    assert asks_for_guide(text) is True


@pytest.mark.parametrize("text", [*NEEDS, "好的", "？", "这是什么", "谢谢", ""])
def test_a_need_or_chatter_is_no_question_about_the_bot(text):
    assert asks_for_guide(text) is False


def _orders(chat) -> int:
    with Session(chat.engine) as session:
        return len(session.exec(select(Order)).all())


def test_a_resident_asking_how_it_works_privately_gets_the_guide_and_no_order(chat):
    for question in ("怎么用", "有什么功能", "怎么弄"):
        inbox = chat.say("resident1", question)
        assert inbox.recipients() == {"@resident1"}
        assert "/need" in inbox.to("resident1")[0]
    assert _orders(chat) == 0


def test_in_a_group_the_question_is_left_to_the_neighbours(chat):
    chat.say("admin", "/bind 幸福里社区", group="g1")
    assert not chat.say("zhang", "怎么用？", group="g1")
    assert _orders(chat) == 0


def test_a_need_ending_in_a_question_is_still_filed(chat):
    inbox = chat.say("resident1", "水管坏了怎么弄")
    assert "#1" in inbox.to("resident1")[0]
    assert _orders(chat) == 1
