"""Passive replies (被动回复): a message's first replies go back in the callback's own response.

They need no API call, no customer-service permission and no 48-hour window; WeChat retries
a callback three times, and only the first answer carries the reply.
"""

from __future__ import annotations

import time

import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto

from bot.channels import wechat, wechat_common
from bot.channels.wechat_common import PASSIVE_MARGIN
from bot.passive_replies import take_replies
from storage.models import Order
from tests.wechat.test_wechat import NEED, count, official_account, outbox
from tests.wechat.test_wecom import wecom
from tests.wechat.wechat_chat import AES_KEY, APP_ID, CORP_ID, START_TIME, TOKEN, message_xml


def opened(body: str, crypto: WeChatCrypto | WeComCrypto) -> dict:
    """The reply as WeChat reads it: signature checked, decrypted, parsed."""
    envelope = xmltodict.parse(body)["xml"]
    plain = crypto.decrypt_message(body, envelope["MsgSignature"], envelope["TimeStamp"],
                                   envelope["Nonce"])
    return xmltodict.parse(plain)["xml"]


def test_an_encrypted_reply_carries_the_answer(sqlite_engine, fake) -> None:
    chat = official_account(sqlite_engine, fake, wechat_passive_reply=True)

    answer = chat.post(message_xml("zhang", START_TIME, 7001, Content=NEED))
    chat.deliver()

    reply = opened(answer.text, WeChatCrypto(TOKEN, AES_KEY, APP_ID))
    assert (reply["MsgType"], reply["ToUserName"], reply["FromUserName"]) == (
        "text", "zhang", "gh_whistle")
    assert "#1" in reply["Content"]
    assert fake.texts_to("zhang") == []  # nothing went by API
    assert [r.status for r in outbox(sqlite_engine) if r.to_user == "zhang"] == ["sent"]


def test_a_plain_mode_reply_is_plain_xml(sqlite_engine, fake) -> None:
    chat = official_account(sqlite_engine, fake, wechat_passive_reply=True, wechat_aes_key="")

    answer = chat.post(message_xml("zhang", START_TIME, 7002, Content="帮助"))

    reply = xmltodict.parse(answer.text)["xml"]
    assert (answer.headers["content-type"].split(";")[0], reply["ToUserName"]) == (
        "application/xml", "zhang")
    assert reply["Content"]


def test_a_retried_callback_is_answered_once(sqlite_engine, fake) -> None:
    chat = official_account(sqlite_engine, fake, wechat_passive_reply=True)
    xml = message_xml("zhang", START_TIME, 7003, Content=NEED)

    answers = [chat.post(xml).text for _ in range(3)]
    chat.deliver()

    assert answers[1:] == ["success", "success"]
    assert "#1" in opened(answers[0], WeChatCrypto(TOKEN, AES_KEY, APP_ID))["Content"]
    assert (count(sqlite_engine, Order), fake.texts_to("zhang")) == (1, [])


def test_replies_to_others_still_go_by_api(sqlite_engine, fake) -> None:
    chat = official_account(sqlite_engine, fake, wechat_passive_reply=True)
    chat.say("zhang", NEED)

    answer = chat.post(message_xml("admin", START_TIME + 60, 7004, Content="/approve 1"))
    chat.deliver()

    assert "#1" in opened(answer.text, WeChatCrypto(TOKEN, AES_KEY, APP_ID))["Content"]
    assert any("#1" in text for text in fake.texts_to("zhang"))  # told by API


def test_wecom_answers_with_an_encrypted_reply(sqlite_engine, fake) -> None:
    chat = wecom(sqlite_engine, fake, wecom_passive_reply=True)

    answer = chat.post(message_xml("zhang", START_TIME, 7005, Content=NEED))

    reply = opened(answer.text, WeComCrypto(TOKEN, AES_KEY, CORP_ID))
    assert (reply["MsgType"], reply["ToUserName"]) == ("text", "zhang")
    assert "#1" in reply["Content"]
    assert fake.sent("message/send") == []


def test_the_deadline_counts_from_arrival_so_a_late_start_answers_success(
        sqlite_engine, fake, monkeypatch) -> None:
    chat = official_account(sqlite_engine, fake, wechat_passive_reply=True)
    chat.channel.deadline = 1.0
    # The request waited 2 s for the event loop (a burst) before its handling began.
    monkeypatch.setattr(wechat, "arrived", lambda _request: time.monotonic() - 2.0)

    answer = chat.post(message_xml("zhang", START_TIME, 7005, Content=NEED))
    chat.deliver()

    assert answer.text == "success"
    assert any("#1" in text for text in fake.texts_to("zhang"))  # by API instead


def test_replies_taken_for_a_response_gone_late_are_given_back(
        sqlite_engine, fake, monkeypatch) -> None:
    chat = official_account(sqlite_engine, fake, wechat_passive_reply=True)
    chat.channel.deadline = 0.3

    def slow_take(*args: object) -> tuple[str, list[int]]:
        taken = take_replies(*args)
        time.sleep(PASSIVE_MARGIN + 0.5)  # the database answered, but too slowly
        return taken

    monkeypatch.setattr(wechat_common, "take_replies", slow_take)

    answer = chat.post(message_xml("zhang", START_TIME, 7006, Content=NEED))
    chat.deliver()

    assert answer.text == "success"
    assert [text for text in fake.texts_to("zhang") if "#1" in text] != []
    assert [r.status for r in outbox(sqlite_engine) if r.to_user == "zhang"] == ["sent"]
