"""Need versus group talk, one rule family at a time: the shapes of talk (nlu.talk) leave a
group's chatter alone, and each gives way where a need is stated beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu import classify
from nlu.evaluate import read_tsv
from nlu.lexicon import normalise
from nlu.talk import talk_after, talk_hits, with_talk
from nlu.talk_shapes import DEAL, NOTICE

DATA = Path(__file__).resolve().parent / "data"


def filed(text: str) -> bool:
    return classify(text).is_request


def kinds(text: str) -> set[str]:
    return {hit.entries[0].kind for hit in talk_hits(normalise(text))}


@pytest.mark.parametrize("text", [
    "【停水通知】周四9:00-17:00二期管网改造停水，请各户提前接好水",
    "各位车主：下周二上午地库刷地坪漆，请于周一晚上十点前把车开到地面",
    "周日下午两点半在党群服务中心三楼开展亲子手工活动，请家长带孩子准时到",
    "物业说下个月起快递一律放驿站 不再送上楼",
    "请家里有七十岁以上老人的居民注意 本周五前到居委会领取重阳节慰问品",
    "防火提示：不在楼道堆放纸箱 禁止飞线充电 出门关掉电源",
])
def test_a_notice_with_a_time_a_place_or_an_instruction_is_talk(text: str) -> None:
    assert filed(text) is False


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("工地晚上11点还在施工 电钻声吵得老人睡不着", "community_affairs",
                 id="time-and-works-are-no-notice"),
    pytest.param("麻烦社区下周一前派人来换一下楼道灯泡 黑了好几天了", "convenience",
                 id="plea-to-the-community"),
    pytest.param("医保缴费截止到啥时候 我妈还没交 晚了还能补交吗", "policy_outreach",
                 id="a-notice-does-not-ask"),
    pytest.param("下周三上午10点想请党员来帮忙测个血糖，我爸腿脚不便", "convenience",
                 id="wanting-a-member-over-is-no-instruction"),
])
def test_what_only_looks_like_a_notice_is_still_a_need(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


@pytest.mark.parametrize("text", [
    "出一个宝宝餐椅 八成新 40元 2栋自取",
    "求购二手跑步机 预算五百以内 有的私我",
    "自家炸的丸子 20一斤 要的接龙",
    "管道疏通 马桶维修 随叫随到 电话139xxxx8888",
    "有没有要多肉的 家里太多了 免费送",
])
def test_a_deal_with_a_price_or_a_contact_is_talk(text: str) -> None:
    assert filed(text) is False


def test_a_deal_needs_two_features() -> None:
    assert "trade" not in kinds("暖气费一年要两千块 我们家实在交不起")
    assert DEAL.least == 2


@pytest.mark.parametrize("text", [
    "你们家的电费是多少钱一度",
    "有谁家孩子在育才小学读书的 想问问老师怎么样",
    "那个健康证是在哪办的 有办过的吗",
    "小区里有会修钢琴的师傅吗 家里钢琴跑调了好几年了",
    "大家家里的水压都正常吗",
])
def test_a_question_put_to_the_neighbours_is_talk(text: str) -> None:
    assert filed(text) is False


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("垃圾四天没人收了 大家都闻到了吧？臭得开不了窗", "sanitation",
                 id="a-stated-problem-beats-the-question"),
    pytest.param("养老认证今年改成手机上弄了吗 有没有人给讲讲", "policy_outreach",
                 id="a-plea-for-someone-to-explain"),
    pytest.param("老人想配个助听器 社区能不能帮忙联系", "convenience", id="asking-the-community"),
    pytest.param("哪位知道组织关系转接在哪办？我刚退休想转到社区", "party_building",
                 id="a-consultation"),
])
def test_a_need_put_to_everyone_is_still_a_need(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


@pytest.mark.parametrize("text", [
    "需要换老年卡的请带好身份证到社区",
    "不会在手机上缴费的可以来居委会 我们教",
    "居家维修 有需要找我 老邻居打折",
])
def test_an_offer_to_whoever_needs_it_is_talk(text: str) -> None:
    assert filed(text) is False


@pytest.mark.parametrize("text", [
    "请问社区图书室今天开门吗",
    "明天的体检是在卫生站二楼还是三楼",
    "太极拳班还能报名吗",
])
def test_a_question_of_fact_is_talk(text: str) -> None:
    assert filed(text) is False


@pytest.mark.parametrize("text", [
    "电梯刚才停了几分钟 已经好了 大家别担心",
    "大家出门记得带伞 下午有雷阵雨",
])
def test_advice_to_everyone_is_talk(text: str) -> None:
    assert filed(text) is False


def test_help_already_given_pleads_for_nothing() -> None:
    assert filed("谢谢2栋的王姐，帮我收了一下午的菜") is False
    found = classify("上回帮我们申请了临时救助 可是今年又断了 家里没收入 求帮忙")
    assert found.is_request is True


@pytest.mark.parametrize("text", [
    "这个小哨咋用", "机器人能干啥呀", "这咋整 不会用", "怎么查看我的积分",
    "小哨能帮我交电费不",
])
def test_a_question_about_the_bot_is_never_a_request(text: str) -> None:
    assert filed(text) is False


@pytest.mark.parametrize("text", [
    "恭喜刘阿姨抱孙子啦🎉", "今天菜场的排骨特价 太方便了", "笑死 这个段子绝了",
    "帮我家闺女投个票 3号 谢谢大家",
])
def test_wishes_praise_jokes_and_favours_online_are_talk(text: str) -> None:
    assert filed(text) is False


def test_a_plea_inside_a_talk_feature_is_dropped() -> None:
    text = normalise("请提前储水")
    talk = talk_hits(text)
    kept = with_talk([], talk)
    assert [h.entries[0].kind for h in kept] == ["notice"] * len(talk)
    assert NOTICE.core == 3


def test_the_talk_after_a_break_moves_with_the_rest() -> None:
    text = normalise("【通知】周四停水 请提前储水")
    talk = talk_hits(text)
    rest = talk_after(talk, 5)
    assert all(text[5 + h.start:].startswith(h.term) for h in rest)


def test_chatter_styles_set() -> None:
    """Group chatter in WeChat styles, with group-style needs written beside it."""
    rows = read_tsv(DATA / "nlu_chatter_styles.tsv")
    chatter = [text for label, text in rows if label == "none"]
    needs = [text for label, text in rows if label != "none"]
    assert (len(chatter) >= 300, len(needs) >= 150) == (True, True)
    talk = [text for text in chatter if filed(text)]
    assert 1 - len(talk) / len(chatter) >= 0.96, talk
    missed = [text for text in needs if not filed(text)]
    assert 1 - len(missed) / len(needs) >= 0.92, missed


@pytest.mark.parametrize("text", [
    "谁去菜市场帮我捎两斤鸡蛋 回来给钱",
    "麻烦哪位邻居帮我收个快递 晚上来拿 谢谢",
    "求个手机充电线 type-c的 借用一下",
])
def test_a_small_favour_asked_of_a_neighbour_is_talk(text: str) -> None:
    assert filed(text) is False


def test_a_favour_gives_way_to_a_stated_problem() -> None:
    found = classify("哪位邻居能帮我爸带点药 他腿摔断了 下不了楼")
    assert found.is_request is True


@pytest.mark.parametrize("text", [
    "看到新闻 邻市一个小区地库进水了 咱们这还好",
    "听说最近有人冒充燃气公司上门收费 大家当心",
])
def test_news_passed_on_is_talk(text: str) -> None:
    assert filed(text) is False


def test_news_with_a_plea_is_a_need() -> None:
    assert filed("听说我们楼有人在楼道烧纸钱 太危险了 请物业管管") is True


@pytest.mark.parametrize("text", ["书法课是周二还是周三", "这是什么花 楼下草坪上开了一片[图片]"])
def test_which_day_and_what_is_it_are_questions_of_fact(text: str) -> None:
    assert filed(text) is False


@pytest.mark.parametrize("text", [
    "谢谢师傅 厨房下水终于不堵了",
    "给保洁大姐点个赞 楼道拖得干干净净",
    "楼上装修好几天了 习惯了 忍忍就过去了",
])
def test_a_trouble_that_has_stopped_or_is_borne_is_talk(text: str) -> None:
    assert filed(text) is False


def test_a_trouble_that_has_started_is_a_need() -> None:
    assert filed("楼道灯又不亮了 黑乎乎的 老人不敢下楼") is True


def test_asking_whether_the_neighbours_have_the_same_trouble_is_talk() -> None:
    assert classify("你们单元电梯也坏了吗 我们单元的刚修好").is_request is False


@pytest.mark.parametrize("text", ["我会修电脑 需要的在群里说一声",
                                  "上周家里水管爆了 幸亏邻居帮忙关了总阀",
                                  "楼下的桂花开了 满院子都是香味"])
def test_offers_luck_and_fragrance_are_talk(text: str) -> None:
    assert classify(text).is_request is False
