"""The reply parser on each family of replies volunteers and residents really send (接龙,
conditions, reasons, the work's own words, ratings in words), in phrasings written here."""

from __future__ import annotations

import pytest

from nlu import parse_reply


@pytest.mark.parametrize("text", ["+1", "＋1", "王秀英 +1", "7. 孙海涛+1", "我也+1", "加一",
                                  "算我一个", "也算上我", "带我一个呗", "报名", "我报名！"])
def test_a_sign_up_chain_accepts(text: str) -> None:
    assert parse_reply(text).intent == "accept"


@pytest.mark.parametrize("text", ["我可以下午去", "我周日上午能过去", "我可以，晚饭后过去",
                                  "我下了班过去", "可以，但是得九点以后", "包在我身上",
                                  "交给我了", "我能帮忙", "我去处理"])
def test_an_accept_with_a_condition_accepts(text: str) -> None:
    assert parse_reply(text).intent == "accept"


@pytest.mark.parametrize(("text", "reason"), [
    ("出差中", "出差中"), ("在外地出差呢", "在外地出差呢"),
    ("不好意思有事", ""), ("不好意思，家里有事", "不好意思，家里有事"),
    ("这个我不会弄", "这个我不会弄"), ("电路我不太会", "电路我不太会"),
    ("下次吧", ""), ("下回吧", "下回吧"), ("那天要上班", "那天要上班"),
    ("我接不了 #3", ""), ("孩子生病，来不了", "孩子生病，来不了"),
])
def test_a_decline_keeps_its_reason(text: str, reason: str) -> None:
    assert (parse_reply(text).intent, parse_reply(text).comment) == ("decline", reason)


@pytest.mark.parametrize("text", ["搞定了", "已处理完毕", "已送到", "菜已送到了", "完事了",
                                  "水管换好了", "已经劝过了", "楼道扫完了", "都办妥了", "ok了"])
def test_done_in_the_works_own_words(text: str) -> None:
    assert parse_reply(text).intent == "done"


@pytest.mark.parametrize(("text", "stars"), [
    ("5", 5), ("3星", 3), ("四颗星", 4), ("⭐⭐⭐⭐", 4), ("★★", 2),
    ("满意", 4), ("非常满意", 5), ("基本满意", 3), ("一般", 3), ("不满意", 2),
    ("很不满意", 1), ("挺好的", 4), ("很好", 5), ("不太好", 2),
])
def test_ratings_in_digits_stars_and_words(text: str, stars: int) -> None:
    assert (parse_reply(text).intent, parse_reply(text).stars) == ("rating", stars)


@pytest.mark.parametrize("text", ["几点集合？", "在哪儿集合", "要带工具吗", "我们几点去",
                                  "还剩几个名额", "不确定有没有空", "快修好了", "还在弄",
                                  "马上弄完", "明天修好", "争取今天搞完", "下午去修好",
                                  "正在路上", "大家辛苦了", "早上好", "好的", "[强]",
                                  "腿脚不好，去不了"])
def test_questions_and_chatter_are_no_reply(text: str) -> None:
    expected = "decline" if "去不了" in text else "none"
    assert parse_reply(text).intent == expected
