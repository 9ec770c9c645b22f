"""Talk about people, round 8: praise of someone who helped, an offer of one's own help and
a nuisance excused are told, not asked; each gives way to a need stated beside it."""

from __future__ import annotations

import pytest

from nlu import classify
from nlu.lexicon import normalise
from nlu.talk import talk_hits


def filed(text: str) -> bool:
    return classify(text).is_request


def kinds(text: str) -> set[str]:
    return {hit.entries[0].kind for hit in talk_hits(normalise(text))}


@pytest.mark.parametrize("text", [
    "感谢楼长刘姐 每次停水都提前挨家通知 比物业还上心",
    "给咱们小区的保安大哥点个赞 天天帮老人拎菜上楼",
    "谢谢小张 帮我爸修好了收音机 一分钱没要",
])
def test_praise_of_someone_who_helped_is_talk(text: str) -> None:
    assert "thanks" in kinds(text)
    assert filed(text) is False


@pytest.mark.parametrize(("text", "duty"), [
    ("谢谢保洁阿姨平时辛苦 但是垃圾桶三天没倒了 臭得不行 请安排清运", "sanitation"),
    ("感谢网格员小李 另外想反映下 楼道里有人私拉电线给电动车充电 太危险了", "safety"),
])
def test_praise_gives_way_to_a_need_beside_it(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


@pytest.mark.parametrize("text", [
    "我是退休会计 报税有不明白的可以找我",
    "我家有辆面包车 谁家搬家需要的话说一声",
    "本人懂点水电 小毛病尽管喊我",
])
def test_an_offer_of_ones_own_help_is_talk(text: str) -> None:
    assert filed(text) is False


def test_an_offer_speaks_for_the_whole_message() -> None:
    hits = talk_hits(normalise("我在银行上班 理财有不懂的可以问我"))
    assert {h.entries[0].label for h in hits} == {"whole"}


def test_an_offer_gives_way_to_a_plea() -> None:
    assert filed("我是5栋的 我家有个瘫痪老人 能不能请社区派人来看看 有事可以找我") is True


@pytest.mark.parametrize("text", [
    "楼上孩子练琴练到九点 有点吵 不过孩子嘛 正常",
    "隔壁装修吵了几天 能理解 谁家不装修",
])
def test_a_nuisance_excused_is_talk(text: str) -> None:
    assert "chat" in kinds(text)
    assert filed(text) is False


def test_a_nuisance_excused_gives_way_to_a_plea() -> None:
    assert filed("楼上半夜还在蹦迪 能理解年轻人 但实在受不了了 请社区去说说") is True


def test_news_of_someone_who_works_here_is_gossip() -> None:
    text = "门卫的大叔要退休了 以后见不到了"
    assert "chat" in kinds(text)
    assert filed(text) is False


@pytest.mark.parametrize(("text", "word"), [
    ("莫得事 来摆会儿龙门阵", "龙门阵"), ("晚上没事出来唠嗑啊", "唠嗑"),
    ("一帮老头在那侃大山", "侃大山"),
])
def test_small_talk_named_in_dialect_is_chat(text: str, word: str) -> None:
    found = classify(text)
    assert (found.is_request, word in found.matched) == (False, True)
