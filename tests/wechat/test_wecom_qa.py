"""QA of WeCom in use: what readers of a group the bot cannot hear are told about answering."""

from __future__ import annotations

import asyncio

from handlers.messages import Button, Outgoing
from tests.wechat.test_wecom import wecom


def test_a_whistle_in_a_robot_group_says_where_to_answer(sqlite_engine, fake) -> None:
    corp = wecom(sqlite_engine, fake, wecom_robots={"幸福里社区": fake.robot_url("k")})
    whistle = Outgoing("wecom", "【吹哨】工单 #4｜环境保洁", to_chat="robot:幸福里社区",
                       buttons=(Button("接单", "accept:4"),))

    asyncio.run(corp.channel.send(whistle))

    (post,) = fake.sent("/robot/send")
    assert post.body["text"]["content"] == (
        "【吹哨】工单 #4｜环境保洁\n\n回复「接单 4」接单\n"
        "（在群里回复无效：接单、报到、完成等请在企业微信里私信社区应用发送。）")


def test_a_whistle_in_an_app_group_chat_says_where_to_answer(sqlite_engine, fake) -> None:
    corp = wecom(sqlite_engine, fake)
    whistle = Outgoing("wecom", "【吹哨】工单 #4｜环境保洁", to_chat="CHAT1",
                       buttons=(Button("接单", "accept:4"),))

    asyncio.run(corp.channel.send(whistle))

    (post,) = fake.sent("appchat/send")
    assert post.body["text"]["content"].endswith("请在企业微信里私信社区应用发送。）")
