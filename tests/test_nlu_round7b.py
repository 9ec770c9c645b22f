"""Round-7b rules of the duty classifier, each with texts written for these tests (never a
frozen set's): a case here fails when its rule is taken out."""

from __future__ import annotations

import pytest

from nlu.decide import Evidence
from nlu.dialect import fold_dialect
from nlu.evaluate import predict_label as predicted  # a duty, or "none" for talk
from nlu.need_gate import DISTRICT_OUTTALKED_SHARE, _share_wanted


@pytest.mark.parametrize(
    ("written", "read"),
    [("电线扯哩乱七八糟", "电线扯的乱七八糟"), ("还木人来修", "还没人来修"),
     ("晚上木法睡", "晚上没法睡"), ("又木打过来", "又没打过来"),
     ("有人搁楼道里堆东西", "有人在楼道里堆东西"),
     ("两家又犟起来了", "两家又吵起来了"), ("为了车位抬杠", "为了车位吵架"),
     ("组织关系么样转", "组织关系怎样转"), ("有么斯活动", "有什么活动"),
     ("那两家又闹饥荒", "那两家又闹矛盾"), ("一个人住 蛮造业", "一个人住 蛮可怜"),
     ("又往下甩瓶子", "又往下扔瓶子"), ("吵得伢睡不着", "吵得娃睡不着")],
)
def test_henan_and_wuhan_spellings_read_as_standard_words(written: str, read: str) -> None:
    assert fold_dialect(written) == read


@pytest.mark.parametrize("text", ["后来怎么样了", "木头桌子", "耽搁了两天", "搁置了"])
def test_standard_words_holding_those_spellings_stay(text: str) -> None:
    assert fold_dialect(text) == text


@pytest.mark.parametrize(
    ("text", "duty"),
    [("广场上哩音响开哩忒大 孩儿晚上木法写作业", "civility"),
     ("刚从外地转来的党员 组织关系么样转过来", "party_building"),
     ("楼上的伢又往下甩瓶子 砸在过道上", "civility")],
)
def test_a_henan_or_wuhan_need_is_read(text: str, duty: str) -> None:
    assert predicted(text) == duty


def test_an_agreed_promise_is_no_ok_said_to_the_group() -> None:
    # 说好的 recalls what was agreed; its 好的 would read as talk.
    assert predicted("物业费一直不交 说当时说好的免费 物业跟大家犟了好几年") == "community_affairs"


@pytest.mark.parametrize(
    "text",
    ["对门的自行车停我家门口 他说又不是停你家屋里",  # the other side's retort
     "那个地下室的隔间两户都说是自己的",  # both sides claim it
     "两家为了门口的地方犟了一下午 差点动手"],  # two households at odds
)
def test_a_quarrel_between_named_parties_asks_for_mediation(text: str) -> None:
    assert predicted(text) == "community_affairs"


def test_a_trouble_told_beside_as_much_talk_reads_as_the_district_s_need() -> None:
    # 好可怜 is talk as much as 低保还没批下来 is trouble; the prior reads a hardship.
    assert predicted("隔壁那个大爷老伴走了 低保还没批下来 好可怜") == "hardship_relief"


@pytest.mark.parametrize(("problem", "talk", "wanted"),
                         [(2.0, 2.0, DISTRICT_OUTTALKED_SHARE), (2.0, 2.5, None)])
def test_a_trouble_without_a_plea_may_not_be_outtalked(problem: float, talk: float,
                                                      wanted: float | None) -> None:
    ev = Evidence(duties={"hardship_relief": 4.0}, cues={"problem": problem, "chat": talk})
    assert _share_wanted(ev) == wanted


@pytest.mark.parametrize("text", ["燃气卡里没钱了 老人不会在手机上充",
                                  "家里天然气打不着火了 饭都做不了"])
def test_a_household_s_gas_card_or_stove_is_an_errand_not_a_hazard(text: str) -> None:
    assert predicted(text) == "convenience"


def test_a_video_call_is_no_video_passed_round_the_group() -> None:
    assert predicted("老人手机没声音了 没法和我视频") == "convenience"


def test_a_video_shared_is_still_talk() -> None:
    assert predicted("这个视频太搞笑了 大家看看") == "none"


def test_asking_the_community_for_a_notice_is_a_plea() -> None:
    assert predicted("垃圾分类新规定到底咋分 社区能发个通知不") == "policy_outreach"


def test_a_notice_relayed_is_still_talk() -> None:
    assert predicted("物业发了个通知 明天停水") == "none"


@pytest.mark.parametrize(
    "text", ["楼顶的铁皮棚子刮得哗哗响 底下就是公交站", "工地吊的钢筋天天从我们头上过"])
def test_what_hangs_over_people_is_a_hazard(text: str) -> None:
    assert predicted(text) == "safety"


def test_people_below_at_their_leisure_are_still_talk() -> None:
    assert predicted("楼下天天有人跳广场舞 热闹") == "none"


@pytest.mark.parametrize(
    "text", ["公交站那边最近有扒手 我妈的钱包被摸走了", "小区门口菜摊又遭小偷了 手机被摸了"])
def test_a_theft_suffered_is_a_safety_need(text: str) -> None:
    assert predicted(text) == "safety"


def test_a_theft_next_door_passed_on_is_still_talk() -> None:
    assert predicted("听说隔壁小区遭了贼 大家锁好门哈") == "none"


def test_asking_whom_to_report_to_is_a_plea() -> None:
    assert predicted("党员志愿服务时长 社区要统计吗 报给谁") == "party_building"


def test_what_someone_relies_on_tells_its_loss_matters() -> None:
    assert predicted("家里电视只有雪花了 老人就靠看电视打发时间") == "convenience"


def test_relying_on_a_neighbour_in_jest_is_still_talk() -> None:
    assert predicted("这事就靠你了 哈哈") == "none"
