"""QA of the Official Account in use: the 48 h window, long texts and WeChat's 5 s deadline."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlmodel import select
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.memorystorage import MemoryStorage

from bot.channels.wechat_common import call
from bot.undelivered import undelivered_lines
from handlers.messages import Incoming, Outgoing
from storage.db import transaction
from storage.inbound import InboundMessage
from tests.wechat.test_wechat import NEED, official_account, queue
from tests.wechat.wechat_chat import START_TIME, message_xml


@pytest.fixture
def oa(sqlite_engine, fake):
    return official_account(sqlite_engine, fake)


def test_a_closed_window_parks_later_messages_instead_of_dropping_them(oa, fake) -> None:
    oa.say("admin", "帮助")
    oa.say("zhang", NEED)
    fake.fail("message/custom/send", 45015)  # no template configured: parked
    queue(oa, Outgoing("wechat", "第一条", to_user="zhang"))
    oa.deliver()

    oa.say("admin", "通过 1")  # zhang's window is still closed: this one waits as well
    oa.say("zhang", "帮助")

    texts = fake.texts_to("zhang")
    assert ["第一条" in texts, any(t.startswith("您的诉求 #1 已通过") for t in texts)] == [
        True, True]


def test_a_long_customer_service_text_is_split_at_2048_bytes(oa, fake) -> None:
    oa.say("zhang", "帮助")
    lines = [f"第{n}行：社区服务台账明细，党员报到与居民诉求办理情况汇总" for n in range(200)]
    queue(oa, Outgoing("wechat", "\n".join(lines), to_user="zhang"))

    oa.deliver()

    pieces = fake.texts_to("zhang")[1:]
    assert [len(piece.encode()) <= 2048 for piece in pieces] == [True] * len(pieces)
    assert "\n".join(pieces) == "\n".join(lines)


def test_a_slow_bot_still_answers_wechat_within_its_deadline(oa, fake) -> None:
    oa.channel.deadline = 0.05

    async def slow(_incoming: Incoming, **_options: object) -> bool:
        await asyncio.sleep(10)  # the database is locked by a long export
        raise AssertionError("WeChat was kept waiting for the handling to finish")

    oa.hub.handle = slow

    answer = oa.post(message_xml("zhang", START_TIME, 1, Content="帮助"))

    assert (answer.status_code, answer.text) == (200, "success")
    with transaction(oa.hub.engine) as session:  # should the handling die, it is retried
        held = session.exec(select(InboundMessage.payload)).all()
    assert [payload["text"] for payload in held] == ["帮助"]


def test_a_voice_message_is_read_by_wechats_recognition(oa, fake) -> None:
    oa.post(message_xml("zhang", START_TIME, 1, "voice", MediaId="v1", Format="amr",
                        Recognition=NEED))
    oa.deliver()

    assert fake.texts_to("zhang")[0].startswith("已收到您的诉求（幸福里社区），编号 #1")


def test_a_voice_or_video_wechat_cannot_read_is_answered_not_ignored(oa, fake) -> None:
    oa.post(message_xml("zhang", START_TIME, 1, "voice", MediaId="v1", Format="amr"))
    oa.post(message_xml("zhang", START_TIME + 1, 2, "shortvideo", MediaId="v2",
                        ThumbMediaId="t2"))
    oa.deliver()

    assert [text.startswith("您好，我是社区吹哨助手") for text in fake.texts_to("zhang")] == [
        True, True]


def test_commands_in_texts_are_shown_as_the_chinese_words_wechat_users_type(oa, fake) -> None:
    oa.say("zhang", "帮助")
    queue(oa, Outgoing("wechat", "到场后请发送位置或「/checkin 4」报到，完成后发送「/done 4」。"
                       "见 https://example.org/done", to_user="zhang"))

    oa.deliver()

    assert fake.texts_to("zhang")[-1] == (
        "到场后请发送位置或「报到 4」报到，完成后发送「完成 4」。见 https://example.org/done")
    assert fake.texts_to("zhang")[0].splitlines()[1:5] == [
        "提交诉求：求助 内容", "查看我的诉求：我的工单", "评价服务：评价 工单号 星数",
        "在职党员注册，到社区报到：注册"]


class TokenClient:
    """Just the token side of a wechatpy client: the token held, and fetches counted."""

    access_token_key = "token"

    def __init__(self) -> None:
        self.session = MemoryStorage()
        self.session.set(self.access_token_key, "OLD")
        self.fetches = 0

    @property
    def access_token(self) -> str:
        return self.session.get(self.access_token_key)

    def fetch_access_token(self) -> None:
        self.fetches += 1
        self.session.set(self.access_token_key, f"NEW{self.fetches}")


def test_sends_rejected_together_fetch_one_new_token_not_one_each() -> None:
    client, both_sent = TokenClient(), threading.Barrier(2)

    def send() -> str:
        token = client.session.get(client.access_token_key)
        if token == "OLD":  # another tool fetched a token with the same AppSecret
            both_sent.wait(timeout=10)
            raise WeChatClientException(40001, "invalid credential")
        return token

    async def whistle_to_two() -> list[str]:
        return list(await asyncio.gather(call(client, send), call(client, send)))

    assert (asyncio.run(whistle_to_two()), client.fetches) == (["NEW1", "NEW1"], 1)


def test_the_office_can_list_who_a_message_has_not_reached(engine, fake) -> None:
    chat = official_account(engine, fake)
    fake.fail("message/custom/send", 40003)  # zhang's receipt: not an openid of the account
    chat.say("zhang", NEED)  # and the admin, who never wrote, waits for the review notice

    lines = undelivered_lines(engine)

    assert [line.split(" ")[1] for line in lines] == ["wechat:admin", "wechat:zhang"]
    assert [lines[0].endswith("waits until they write | 【新诉求待审核】幸福里社区"),
            "unreachable until they write: the user cannot be reached" in lines[1]] == [True, True]
