"""Round-7 rules of the duty classifier for group chatter, each with texts written for these
tests (never a frozen set's): a case here fails when its rule is taken out."""

from __future__ import annotations

import pytest

from nlu import classify
from nlu.evaluate import predict_label as predicted  # a duty, or "none" for talk
from nlu.lexicon import normalise
from nlu.reading import evidence


def is_talk(text: str) -> bool:
    """Whether the text is read as talk, not as a need (a need with no duty goes to review:
    it is not left alone)."""
    return not classify(text).is_request


@pytest.mark.parametrize(
    "text",
    ["听说5栋那家的儿子结婚了 办了五十桌",
     "听说隔壁老张家的孙子考上大学了 他爷爷乐得合不拢嘴",
     "你们知道吗 2号楼那户又吵起来了 吵了一晚上 后来警察都来了"],
)
def test_gossip_about_another_household_is_talk(text: str) -> None:
    assert is_talk(text)


def test_gossip_that_touches_the_writers_home_is_a_need() -> None:
    assert predicted("听说隔壁那家装修 把我家墙震裂了") == "community_affairs"


def test_a_neighbour_in_want_told_as_news_is_a_need() -> None:
    assert predicted("听说7栋那户老太太一个人住 饭都吃不上") == "hardship_relief"


@pytest.mark.parametrize(
    "text",
    ["我闺女今天学会游泳了 开心", "我儿子说长大要当警察 天天拿个玩具枪在家抓坏人"],
)
def test_a_familys_everyday_news_is_talk(text: str) -> None:
    assert is_talk(text)


@pytest.mark.parametrize(
    ("text", "duty"),
    [("我妈想过生日 她不会用手机订蛋糕 能帮她订一下吗", "convenience"),
     ("我爸问 退休以后医保还要不要交 交多少", "policy_outreach"),
     ("我爸退休以后一个人在老家 饭都吃不饱", "hardship_relief")],
)
def test_family_news_with_a_hand_or_a_rule_asked_for_is_a_need(text: str, duty: str) -> None:
    assert predicted(text) == duty


@pytest.mark.parametrize(
    "text", ["天天断网烦死了 你们家也断吗", "小区又停电了 你们那边来电了吗"],
)
def test_a_trouble_compared_with_the_neighbours_own_is_talk(text: str) -> None:
    assert is_talk(text)


def test_a_trouble_pressing_on_the_household_now_is_a_need_whoever_is_asked() -> None:
    assert predicted("你们家也停水了吗 我家一滴水都没有 老人等着做饭") == "convenience"


@pytest.mark.parametrize(
    "text",
    ["网上说好多地方电梯出事了 真的假的",
     "老家那边路灯坏了一年都没人修 还是咱们这好",
     "今天刚看新闻 南方那边发大水了 好多房子都泡了"],
)
def test_news_of_another_place_is_talk(text: str) -> None:
    assert is_talk(text)


@pytest.mark.parametrize(
    "text", ["婆婆住过来半个月了 有点小摩擦 忍忍吧", "我儿子又加班到半夜 孙子都是我带 累"],
)
def test_a_family_trouble_borne_is_talk(text: str) -> None:
    assert is_talk(text)


@pytest.mark.parametrize(
    "text", ["老公住院了 钱都花光了 实在没办法了", "家里两个老人都病着 一家人吃饭都成问题"],
)
def test_a_household_that_cannot_go_on_is_a_need(text: str) -> None:
    assert predicted(text) == "hardship_relief"


def test_where_to_join_in_is_asked_of_the_community() -> None:
    assert predicted("退伍回来了 党员组织生活在哪参加") == "party_building"


def test_a_stairway_is_no_price() -> None:
    ev, _, _ = evidence(normalise("三单元有人天天往草坪上倒剩菜"))
    assert "trade" not in ev.cues


def test_pests_drawn_by_waste_state_the_harm() -> None:
    assert predicted("隔壁单元的人老往花坛里倒剩饭 招老鼠") == "sanitation"


def test_advice_asked_of_the_other_mothers_is_talk() -> None:
    assert is_talk("各位宝妈 孩子老是尿床怎么办")


def test_a_small_job_offered_to_a_neighbour_for_a_reward_is_talk() -> None:
    assert is_talk("有没有会修洗衣机的邻居 我家的不转了 有偿")


@pytest.mark.parametrize(
    "text", ["我们家老头子非要自己爬梯子擦窗户 说了也不听", "俺家闺女吵着要养猫 我说养不了"],
)
def test_a_familys_own_ways_told_by_any_of_its_names_are_talk(text: str) -> None:
    assert is_talk(text)
