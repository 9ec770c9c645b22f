"""The WeChat Official Account channel (公众号) against callbacks built as WeChat builds them
and a fake WeChat API: signatures, safe mode, retries, the 48-hour window, error codes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from bot.channels.wechat import WeChatChannel
from bot.clock import Clock
from bot.demo import seed
from bot.hub import Hub
from bot.settings import Settings
from handlers.chat.presence import WINDOW_CLOSED
from handlers.context import Context
from handlers.messages import Button, Outgoing
from handlers.orders.records import order_records
from storage.db import transaction
from storage.messaging import InboundSeen, OutboxMessage
from storage.models import Building, CheckIn, Order
from tests.conftest import START
from tests.wechat.fake_wechat import FakeWeChat
from tests.wechat.wechat_chat import (
    AES_KEY,
    APP_ID,
    START_TIME,
    TOKEN,
    WeChatChat,
    message_xml,
    sign,
)

NEED = "3栋2单元501楼道灯坏了好几天，晚上老人下楼看不见，麻烦社区派人修一下，电话13912345678"



def official_account(engine, fake: FakeWeChat, **overrides: object) -> WeChatChat:
    """The demo community on WeChat, talking through the Official Account channel."""
    values = {"wechat_token": TOKEN, "wechat_app_id": APP_ID, "wechat_app_secret": "secret",
              "wechat_aes_key": AES_KEY, "wechat_api_base_url": fake.base_url, 
              "wechat_passive_reply": False,  # replies via the API; see test_passive_replies
              **overrides}
    settings = Settings(_env_file=None, database_url="sqlite://", **values)
    seed(engine, START, channel="wechat")
    hub = Hub(engine, settings, Clock(START))
    return WeChatChat(hub, WeChatChannel(hub), "/wechat/callback",
                      safe=bool(values["wechat_aes_key"]))


@pytest.fixture
def oa(sqlite_engine, fake) -> WeChatChat:
    return official_account(sqlite_engine, fake)


def count(engine, table) -> int:
    with transaction(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def outbox(engine) -> list[OutboxMessage]:
    with transaction(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def queue(chat: WeChatChat, *messages: Outgoing) -> None:
    with transaction(chat.hub.engine) as session:
        Context(session, chat.hub.policy, chat.hub.clock.now()).queue(list(messages))


def test_the_server_settings_check_echoes_echostr(oa) -> None:
    params = {"timestamp": "1", "nonce": "n", "echostr": "hello"}

    signed = oa.get({**params, "signature": sign(TOKEN, "1", "n")})
    forged = oa.get({**params, "signature": sign("forged", "1", "n")})

    assert (signed.status_code, signed.text) == (200, "hello")
    assert forged.status_code == 403


def test_a_follower_is_welcomed_and_told_how_to_register(oa, fake) -> None:
    assert oa.say("zhang", subscribe=True).text == "success"

    (welcome,) = fake.texts_to("zhang")
    assert "欢迎" in welcome
    assert "注册" in welcome


def test_a_retried_callback_makes_one_order_and_one_reply(engine, fake) -> None:
    chat = official_account(engine, fake)
    xml = message_xml("zhang", START_TIME, 9001, Content=NEED)

    answers = [chat.post(xml) for _ in range(3)]
    chat.deliver()

    assert [(a.status_code, a.text) for a in answers] == [(200, "success")] * 3
    assert count(engine, Order) == 1
    assert len(fake.texts_to("zhang")) == 1


def test_a_retried_follow_event_is_welcomed_once(oa, fake) -> None:
    event = message_xml("zhang", START_TIME, None, "event", Event="subscribe")

    for _ in range(3):
        oa.post(event)
    oa.deliver()

    assert len(fake.texts_to("zhang")) == 1


@pytest.mark.parametrize(("forge", "encrypted", "body", "status"), [
    pytest.param(True, None, None, 403, id="forged-signature"),
    pytest.param(False, "bm90IGFlcw==", None, 400, id="undecryptable"),
    pytest.param(False, None, "not xml at all", 400, id="not-xml"),
])
def test_a_bad_callback_is_refused_and_nothing_stored(oa, forge, encrypted, body,
                                                      status) -> None:
    answer = oa.post(message_xml("zhang", START_TIME, 9002, Content=NEED), forge=forge,
                     encrypted=encrypted, body=body)

    assert answer.status_code == status
    assert (count(oa.hub.engine, Order), count(oa.hub.engine, InboundSeen)) == (0, 0)


def test_plain_mode_takes_unencrypted_callbacks(sqlite_engine, fake) -> None:
    chat = official_account(sqlite_engine, fake, wechat_aes_key="")

    chat.say("zhang", NEED)

    assert "#1" in fake.texts_to("zhang")[0]


def test_a_message_outside_the_window_waits_until_the_user_writes(oa, fake) -> None:
    oa.say("zhang", NEED)  # the admin has never written: the review notice cannot go
    (parked,) = [r for r in outbox(oa.hub.engine) if r.to_user == "admin"]
    assert parked.status == "undeliverable"
    assert parked.last_error.startswith(WINDOW_CLOSED)

    oa.say("admin", "帮助")

    assert any("#1【待审核】" in text for text in fake.texts_to("admin"))


def test_outside_the_window_a_template_message_goes(sqlite_engine, fake) -> None:
    chat = official_account(sqlite_engine, fake, wechat_template_id="TPL1")

    chat.say("zhang", NEED)

    (template,) = fake.sent("message/template/send")
    assert (template.body["touser"], template.body["template_id"]) == ("admin", "TPL1")
    fields = template.body["data"]
    assert fields["first"]["value"] == "【新诉求待审核】幸福里社区"
    assert "#1" in fields["keyword1"]["value"]


def test_45015_out_of_window_falls_back_to_the_template(sqlite_engine, fake) -> None:
    chat = official_account(sqlite_engine, fake, wechat_template_id="TPL1")
    fake.fail("message/custom/send", 45015)

    chat.say("zhang", NEED)

    assert sorted(c.body["touser"] for c in fake.sent("message/template/send")) == [
        "admin", "zhang"]


def test_45047_too_many_messages_parks_until_the_user_writes(oa, fake) -> None:
    fake.fail("message/custom/send", 45047)
    oa.say("zhang", "帮助")
    (row,) = outbox(oa.hub.engine)
    assert (row.status, row.last_error.startswith(WINDOW_CLOSED)) == ("undeliverable", True)

    oa.say("zhang", "帮助")

    assert len(fake.texts_to("zhang")) == 2


def test_45009_rate_limited_is_retried_later(oa, fake) -> None:
    fake.fail("message/custom/send", 45009)

    oa.say("zhang", "帮助")

    (row,) = outbox(oa.hub.engine)
    assert (row.status, row.attempts) == ("pending", 1)
    oa.hub.clock.set(START + timedelta(minutes=1))
    oa.deliver()
    assert len(fake.texts_to("zhang")) == 1


def test_an_expired_token_is_fetched_again_once_and_the_call_retried(oa, fake) -> None:
    fake.fail("message/custom/send", 40001)

    oa.say("zhang", "帮助")

    assert fake.tokens == 2
    assert [c.query["access_token"] for c in fake.sent("message/custom/send")] == [
        "TOKEN1", "TOKEN2"]
    assert outbox(oa.hub.engine)[0].status == "sent"


def test_a_token_rejected_twice_is_not_retried_without_end(oa, fake) -> None:
    fake.fail("message/custom/send", 40001, 40001, 40001)

    oa.say("zhang", "帮助")

    assert (fake.tokens, len(fake.sent("message/custom/send"))) == (2, 2)
    assert outbox(oa.hub.engine)[0].status == "pending"


def test_a_picture_is_uploaded_and_a_file_is_named_in_the_text(oa, fake, tmp_path) -> None:
    oa.say("zhang", "帮助")
    chart, sheet = tmp_path / "board.png", tmp_path / "ledger.xlsx"
    chart.write_bytes(b"\x89PNG fake")
    sheet.write_bytes(b"PK fake")
    queue(oa, Outgoing("wechat", "本周排行", to_user="zhang", attachment=str(chart)),
          Outgoing("wechat", "服务台账", to_user="zhang", attachment=str(sheet)))

    oa.deliver()

    assert fake.sent("media/upload")[0].query["type"] == "image"
    (image,) = [c for c in fake.sent("message/custom/send") if c.body["msgtype"] == "image"]
    assert image.body["image"]["media_id"] == "MEDIA1"
    assert "ledger.xlsx" in fake.texts_to("zhang")[-1]


def test_buttons_become_reply_hints(oa, fake) -> None:
    oa.say("zhang", "帮助")
    queue(oa, Outgoing("wechat", "请评价", to_user="zhang",
                       buttons=tuple(Button("★", f"rate:7:{n}") for n in range(1, 6))),
          Outgoing("wechat", "工单 #7", to_user="zhang", buttons=(Button("到场", "checkin:7"),)))

    oa.deliver()

    assert fake.texts_to("zhang")[-2:] == [
        "请评价\n\n回复「评价 7 星数」为服务打分，例如：评价 7 5",
        "工单 #7\n\n回复「报到 7」到场"]


def test_an_order_from_need_to_rating_through_the_official_account(engine, fake) -> None:
    chat = official_account(engine, fake)
    for user in ("admin", "m1", "m4"):  # everyone wrote lately: inside the 48-hour window
        chat.say(user, "帮助")
    chat.say("zhang", subscribe=True)
    chat.say("zhang", NEED)
    assert "#1" in fake.texts_to("zhang")[-1]
    assert "#1【待审核】" in fake.texts_to("admin")[-1]

    chat.say("admin", "通过 1 convenience")
    whistle = fake.texts_to("m1")[-1]
    assert "回复「接单 1」" in whistle
    assert "13912345678" not in whistle
    chat.say("m1", "接单 1")
    assert "13912345678" in fake.texts_to("m1")[-1]
    assert "李明" in fake.texts_to("zhang")[-1]
    chat.say("m1", "报到 1")
    chat.say("m1", location=(31.23, 121.47))
    assert fake.texts_to("m1")[-1] == "已为工单 #1 的报到补充位置。"
    chat.say("m1", image="http://mmbiz.qpic.cn/done.jpg")
    assert fake.texts_to("m1")[-1].startswith("已收到照片")
    chat.say("m1", "完成 1")
    assert "评价 1 星数" in fake.texts_to("zhang")[-1]
    chat.say("zhang", "评价 1 5")

    assert fake.texts_to("zhang")[-1] == "感谢您对 #1 的评价（5星）！"
    with transaction(engine) as session:
        (record,) = order_records(session)
    assert [row["to"] for row in record["history"]] == [
        "submitted", "open", "claimed", "in_progress", "awaiting_rating", "closed"]


def test_a_callback_is_answered_without_waiting_for_wechat(oa, fake) -> None:
    answer = oa.post(message_xml("zhang", START_TIME, 1, Content="帮助"))

    assert (answer.status_code, answer.text) == (200, "success")
    assert fake.calls == []  # replies leave through the outbox, outside the 5 s deadline
    assert [r.to_user for r in outbox(oa.hub.engine)] == ["zhang"]


def test_stars_alone_rate_the_one_order_waiting(chat) -> None:
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 convenience")
    chat.say("m1", "接单 1")
    chat.say("m1", "报到 1")
    chat.say("m1", "完成 1")
    assert "用法" in chat.say("li", "评价 5").to("li")[0]  # nothing of li's is waiting

    thanks = chat.say("zhang", "评价 5")

    assert thanks.to("zhang") == ["感谢您对 #1 的评价（5星）！"]


# The same spot in Shanghai in both datums (the eviltransform reference pair): WeChat sends
# the GCJ-02 one, about 475 m from where it really is.
WGS_SPOT = (31.1774276, 121.5272106)
GCJ_SPOT = (31.17530398364597, 121.531541859215)


def test_a_wechat_location_is_converted_to_wgs84_before_it_is_measured(engine, fake) -> None:
    chat = official_account(engine, fake, checkin_radius_m=100)
    with transaction(engine) as session:
        building = session.exec(select(Building).where(Building.name == "3栋")).one()
        building.lat, building.lon = WGS_SPOT
    for user in ("admin", "m1"):
        chat.say(user, "帮助")
    chat.say("zhang", NEED)
    chat.say("admin", "通过 1 convenience")
    chat.say("m1", "接单 1")

    chat.say("m1", location=GCJ_SPOT)

    assert fake.texts_to("m1")[-1].startswith("已为工单 #1 报到，辛苦了！")
    with transaction(engine) as session:
        arrival = session.exec(select(CheckIn)).one()
    assert arrival.located
    assert (round(arrival.lat, 5), round(arrival.lon, 5)) == (31.17743, 121.52721)


def test_a_wechat_location_right_after_a_need_is_where_it_is(engine, fake) -> None:
    chat = official_account(engine, fake)
    chat.say("zhang", "小区东门的路灯坏了，晚上看不见")

    chat.say("zhang", location=GCJ_SPOT)

    assert fake.texts_to("zhang")[-1] == "已记下诉求 #1 的位置，上门的党员会按这个位置找到您。"
    with transaction(engine) as session:
        order = session.get_one(Order, 1)
    assert (round(order.lat, 5), round(order.lon, 5)) == (31.17743, 121.52721)
