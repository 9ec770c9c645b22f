"""The WeCom channel (企业微信): the published sample vectors, encrypted callbacks, batched app
messages, app group chats and group robots, against a fake WeCom API."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select
from typer.testing import CliRunner

from bot.channels import configured
from bot.channels.wechat_common import split_text
from bot.channels.wecom import WeComChannel, client_for
from bot.channels.wecom_groups import create_appchat
from bot.cli import app
from bot.clock import Clock
from bot.demo import seed
from bot.hub import Hub
from bot.outbox import DeliveryError
from bot.settings import Settings
from handlers.context import Context
from handlers.messages import Outgoing
from handlers.orders.records import order_records
from storage.db import transaction
from storage.messaging import OutboxMessage
from storage.models import GroupChat
from tests.conftest import START
from tests.wechat.fake_wechat import FakeWeChat
from tests.wechat.wechat_chat import AES_KEY, CORP_ID, START_TIME, TOKEN, WeChatChat, message_xml

NEED = "3栋2单元501楼道灯坏了好几天，晚上老人下楼看不见，麻烦社区派人修一下，电话13912345678"



def wecom_settings(fake: FakeWeChat, **overrides: object) -> Settings:
    values = {"wecom_corp_id": CORP_ID, "wecom_agent_id": 1000002, "wecom_secret": "secret",
              "wecom_token": TOKEN, "wecom_aes_key": AES_KEY,
              "wecom_api_base_url": fake.base_url, 
              "wecom_passive_reply": False,  # replies via the API; see test_passive_replies
              **overrides}
    return Settings(_env_file=None, database_url="sqlite://", **values)


def wecom(engine, fake: FakeWeChat, clock: list[float] | None = None,
          **overrides: object) -> WeChatChat:
    """The demo community on WeCom, talking through the app's callback URL."""
    seed(engine, START, channel="wecom")
    hub = Hub(engine, wecom_settings(fake, **overrides), Clock(START))
    channel = WeComChannel(hub, monotonic=(lambda: clock[0]) if clock else lambda: 0.0)
    asyncio.run(channel.start())
    return WeChatChat(hub, channel, "/wecom/callback")


@pytest.fixture
def corp(sqlite_engine, fake) -> WeChatChat:
    return wecom(sqlite_engine, fake)


def queue(chat: WeChatChat, *messages: Outgoing) -> None:
    with transaction(chat.hub.engine) as session:
        Context(session, chat.hub.policy, chat.hub.clock.now()).queue(list(messages))


def statuses(engine) -> list[tuple[str | None, str]]:
    with transaction(engine) as session:
        rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [(r.to_user or r.to_chat, r.status) for r in rows]


def test_the_published_sample_vectors_verify_and_decrypt(sqlite_engine, fake) -> None:
    hub = Hub(sqlite_engine, wecom_settings(
        fake, wecom_token="QDG6eK", wecom_aes_key="jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        wecom_corp_id="wx5823bf96d3bd56c7"))
    chat = WeChatChat(hub, WeComChannel(hub), "/wecom/callback")
    params = {"msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
              "timestamp": "1409659589", "nonce": "263014780",
              "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8T"
                         "gAE7OaBO+FZXvnaqQ=="}

    verified = chat.get(params)
    forged = chat.get({**params, "msg_signature": "0" * 40})

    assert (verified.status_code, verified.text) == (200, "1616140317555161061")
    assert forged.status_code == 403


def test_encrypted_callbacks_are_handled_and_forgeries_refused(corp, fake) -> None:
    forged = corp.post(message_xml("zhang", START_TIME, 1, Content=NEED), forge=True)
    garbled = corp.post(message_xml("zhang", START_TIME, 2, Content=NEED), encrypted="eA==")
    assert (forged.status_code, garbled.status_code) == (403, 400)
    assert fake.calls == []

    answers = [corp.post(message_xml("zhang", START_TIME, 3, Content=NEED)) for _ in range(3)]
    corp.deliver()

    assert {a.text for a in answers} == {"success"}
    assert len(fake.texts_to("zhang")) == 1
    assert "#1" in fake.texts_to("zhang")[0]


def test_a_whistle_to_many_members_is_one_call(corp, fake) -> None:
    corp.say("zhang", NEED)
    corp.say("admin", "通过 1 convenience")

    whistles = [c for c in fake.sent("message/send") if "【吹哨】" in c.body["text"]["content"]]
    assert [sorted(c.body["touser"].split("|")) for c in whistles] == [["m1", "m2", "m4"]]
    assert whistles[0].body["agentid"] == 1000002


def test_app_messages_go_a_thousand_users_a_call(corp, fake) -> None:
    users = [f"u{n}" for n in range(2500)]

    outcomes = asyncio.run(corp.channel.send_batch(
        [Outgoing("wecom", "周六大扫除", to_user=u) for u in users]))

    assert outcomes == [None] * 2500
    assert [len(c.body["touser"].split("|")) for c in fake.sent("message/send")] == [
        1000, 1000, 500]


def test_users_the_api_calls_invalid_are_parked_and_the_rest_sent(corp, fake) -> None:
    fake.invalid_users = {"m2"}
    queue(corp, *(Outgoing("wecom", "通知", to_user=u) for u in ("m1", "m2", "m4")))

    corp.deliver()

    assert statuses(corp.hub.engine) == [
        ("m1", "sent"), ("m2", "undeliverable"), ("m4", "sent")]
    assert len(fake.sent("message/send")) == 1


def test_an_expired_token_is_fetched_again_once(corp, fake) -> None:
    fake.fail("message/send", 40001)

    corp.say("zhang", "帮助")

    assert (fake.tokens, len(fake.sent("message/send"))) == (2, 2)
    assert statuses(corp.hub.engine) == [("zhang", "sent")]


def test_rate_limited_app_messages_are_retried_later(corp, fake) -> None:
    fake.fail("message/send", 45009)

    corp.say("zhang", "帮助")

    with transaction(corp.hub.engine) as session:
        (row,) = session.exec(select(OutboxMessage)).all()
    assert (row.status, row.attempts) == ("pending", 1)


def test_an_app_group_chat_is_created_bound_and_whistled_to(corp, fake) -> None:
    engine, client = corp.hub.engine, client_for(corp.hub.settings)
    chat_id = asyncio.run(create_appchat(engine, client, "幸福里社区", ["admin", "m1", "m2"]))
    corp.say("zhang", NEED)
    corp.say("admin", "通过 1 convenience")

    assert fake.sent("appchat/create")[0].body["userlist"] == ["admin", "m1", "m2"]
    (posted,) = fake.sent("appchat/send")
    assert (chat_id, posted.body["chatid"]) == ("CHAT1", "CHAT1")
    assert "【吹哨】" in posted.body["text"]["content"]


def test_an_app_group_chat_needs_a_known_community_and_two_users(corp) -> None:
    engine, client = corp.hub.engine, client_for(corp.hub.settings)
    with pytest.raises(ValueError, match="no community named 没有这个社区"):
        asyncio.run(create_appchat(engine, client, "没有这个社区", ["a", "b"]))
    with pytest.raises(ValueError, match="at least two users"):
        asyncio.run(create_appchat(engine, client, "幸福里社区", ["a"]))


def test_the_cli_creates_an_app_group_chat(tmp_path, fake) -> None:
    env = {"WHISTLE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "WHISTLE_WECOM_CORP_ID": CORP_ID, "WHISTLE_WECOM_SECRET": "s",
           "WHISTLE_WECOM_API_BASE_URL": fake.base_url}
    runner = CliRunner()
    assert runner.invoke(app, ["demo"], env=env).exit_code == 0

    result = runner.invoke(app, ["wecom", "appchat", "幸福里社区", "admin", "m1"], env=env)

    assert (result.exit_code, result.output.strip()) == (
        0, "app group chat CHAT1 created and bound to 幸福里社区")


def test_a_group_robot_gets_whistles_split_and_paced(sqlite_engine, fake) -> None:
    clock = [0.0]
    corp = wecom(sqlite_engine, fake, clock, wecom_robots={"幸福里社区": fake.robot_url("k")})
    with transaction(sqlite_engine) as session:
        (robot,) = session.exec(select(GroupChat).where(GroupChat.channel == "wecom")).all()
    digest = "\n".join(f"{n}. 李明 服务 3 次 共 6 小时" for n in range(200))
    send = corp.channel.send

    asyncio.run(send(Outgoing("wecom", digest, to_chat=robot.chat_id)))
    pieces = [c.body["text"]["content"] for c in fake.sent("/robot/send")]
    assert "\n".join(pieces) == digest
    assert max(len(p.encode()) for p in pieces) <= 2048
    assert len(pieces) > 1
    for _ in range(20 - len(pieces)):
        asyncio.run(send(Outgoing("wecom", "通知", to_chat=robot.chat_id)))
    with pytest.raises(DeliveryError) as paced:
        asyncio.run(send(Outgoing("wecom", "第21条", to_chat=robot.chat_id)))
    clock[0] = 61.0
    asyncio.run(send(Outgoing("wecom", "一分钟后", to_chat=robot.chat_id)))

    assert paced.value.permanent is False
    assert fake.sent("/robot/send")[-1].body["text"]["content"] == "一分钟后"


def test_the_channels_run_when_their_settings_are_set(sqlite_engine, fake) -> None:
    none = configured(Hub(sqlite_engine, Settings(_env_file=None)))
    both = configured(Hub(sqlite_engine, wecom_settings(
        fake, wechat_token="t", wechat_app_id="wx1", wechat_app_secret="s")))

    assert (none, [c.name for c in both]) == ([], ["wechat", "wecom"])


def test_an_order_from_need_to_rating_through_wecom(engine, fake) -> None:
    chat = wecom(engine, fake)
    chat.say("zhang", NEED)
    assert "#1【待审核】" in fake.texts_to("admin")[-1]

    chat.say("admin", "通过 1 convenience")
    assert "回复「接单 1」" in fake.texts_to("m1")[-1]
    chat.say("m1", "接单 1")
    assert "13912345678" in fake.texts_to("m1")[-1]
    chat.say("m1", "报到 1")
    chat.say("m1", location=(31.23, 121.47))
    chat.say("m1", "完成 1")
    assert "评价 1 星数" in fake.texts_to("zhang")[-1]
    chat.say("zhang", "评价 1 5")

    assert fake.texts_to("zhang")[-1] == "感谢您对 #1 的评价（5星）！"
    with transaction(engine) as session:
        (record,) = order_records(session)
    assert [row["to"] for row in record["history"]] == [
        "submitted", "open", "claimed", "in_progress", "awaiting_rating", "closed"]


def test_attachments_are_uploaded_as_pictures_or_files(corp, fake, tmp_path) -> None:
    chart, sheet = tmp_path / "board.png", tmp_path / "ledger.xlsx"
    chart.write_bytes(b"\x89PNG fake")
    sheet.write_bytes(b"PK fake")
    queue(corp, Outgoing("wecom", "本周排行", to_user="admin", attachment=str(chart)),
          Outgoing("wecom", "服务台账", to_chat="CHAT1", attachment=str(sheet)))

    corp.deliver()

    assert [c.query["type"] for c in fake.sent("media/upload")] == ["image", "file"]
    assert [c.body["msgtype"] for c in fake.sent("message/send")] == ["image", "text"]
    assert [c.body["msgtype"] for c in fake.sent("appchat/send")] == ["file", "text"]
    assert statuses(corp.hub.engine) == [("admin", "sent"), ("CHAT1", "sent")]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("社区吹哨ab1 \n"), max_size=3000))
def test_a_long_text_is_split_into_pieces_that_fit_and_lose_nothing(text: str) -> None:
    pieces = split_text(text, limit=64)

    assert all(len(piece.encode()) <= 64 for piece in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
