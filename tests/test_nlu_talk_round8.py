"""Round 8 of need versus group talk: forwarded and headed notices, news of another estate
and rumours, troubles that have stopped, prices by the hour, what the neighbours noticed; each
rule beside the needs that only look like it and must stay needs."""

from __future__ import annotations

import pytest

from nlu import classify
from nlu.lexicon import normalise
from nlu.talk import talk_after, talk_hits


def filed(text: str) -> bool:
    return classify(text).is_request


@pytest.mark.parametrize("text", [
    "转发 自来水公司周五管网冲洗 水发黄属正常 放一会就好 如有疑问请拒绝上门收费",
    "温馨提示：天冷路滑，电动车不要停在楼道口，出门记得关燃气",
    "友情提醒:最近小偷多,大家晚上锁好车棚的门",
])
def test_a_headed_or_forwarded_notice_speaks_for_all_that_follows(text: str) -> None:
    assert filed(text) is False


@pytest.mark.parametrize("text", [
    "提醒：3栋楼道灯坏了一个礼拜了 请物业赶紧来修",
    "转发一下 我妈说楼下垃圾三天没人收了 麻烦社区派人清一下",
])
def test_a_header_gives_way_to_a_plea_to_the_community(text: str) -> None:
    assert filed(text) is True


def test_a_header_goes_with_every_rest_of_the_message() -> None:
    text = normalise("温馨提示：周末降温 家里水管注意保暖")
    talk = talk_hits(text)
    rest = talk_after(talk, text.index("家"))
    assert [(h.start, h.entries[0].label) for h in rest] == [(0, "whole")]


@pytest.mark.parametrize("text", [
    "党员同志们 周五下午三点集中学习 大家别迟到",
    "业主们 明天上午八点电梯保养 出门早点",
])
def test_readers_greeted_with_a_time_is_a_notice(text: str) -> None:
    assert filed(text) is False


@pytest.mark.parametrize("text", [
    "听说对面小区电动车在楼道里着火了 烧了好几层 还好没人受伤",
    "听说小区要装电梯了 不知道什么时候",
    "群里转的那个停水三天的消息是谣言 水务局辟谣了",
])
def test_news_of_another_estate_or_a_rumour_is_talk(text: str) -> None:
    assert filed(text) is False


def test_a_rumour_with_a_plea_is_a_need() -> None:
    assert filed("听说要停气三天 我家老人做不了饭 请社区帮忙想想办法") is True


@pytest.mark.parametrize("text", [
    "厨房下水管通了 就是头发堵的",
    "楼道的声控灯现在能亮了",
    "车库那股臭味没了 物业昨天消杀过了",
    "楼下那家终于不装修了 清净",
    "门口的破路灯换了个新的",
])
def test_a_trouble_that_works_again_is_talk(text: str) -> None:
    assert filed(text) is False


@pytest.mark.parametrize("text", [
    "暖气不热了 家里老人冻得不行 请物业来看看",
    "路灯换了个新的又不亮了 请物业再来修",
    "下水道通了没两天又堵了 污水都漫到楼道了",
])
def test_a_trouble_back_or_not_mended_is_still_a_need(text: str) -> None:
    assert filed(text) is True


@pytest.mark.parametrize("text", [
    "有需要保姆的吗 我表姐做住家 一个月5000",
    "家教 初中数学 一小时80 可上门",
])
def test_a_price_by_the_hour_or_month_makes_a_deal(text: str) -> None:
    assert filed(text) is False


@pytest.mark.parametrize("text", [
    "你们发现没 最近早上雾好大",
    "有人知道篮球场晚上开不开灯吗",
])
def test_what_the_neighbours_noticed_is_asked_of_them(text: str) -> None:
    assert filed(text) is False


@pytest.mark.parametrize(("text", "term"), [
    ("党员同志们 周五下午三点集中学习 大家别迟到", "党员同志们"),
    ("你们发现没 最近早上雾好大", "你们发现"),
    ("有人知道篮球场晚上开不开灯吗", "开不开"),
    ("转发 自来水公司周五管网冲洗 水发黄属正常 如有疑问请拒绝上门收费", "请拒绝"),
    ("转发 自来水公司周五管网冲洗 水发黄属正常 如有疑问请拒绝上门收费", "转发 "),
    ("温馨提示：天冷路滑，电动车不要停在楼道口", "温馨提示:"),
    ("听说对面小区电动车在楼道里着火了 还好没人受伤", "对面小区"),
    ("听说对面小区电动车在楼道里着火了 还好没人受伤", "还好没人受伤"),
    ("听说小区要装电梯了 不知道什么时候", "不知道什么时候"),
    ("楼下那家终于不装修了 清净", "终于不装修了"),
    ("门口的破路灯换了个新的", "换了个新的"),
    ("厨房下水管通了 就是头发堵的", "厨房下水管通了"),
    ("家教 初中数学 一小时80 有意私聊", "一小时80"),
])
def test_each_new_feature_reads_as_talk(text: str, term: str) -> None:
    assert term in {hit.term for hit in talk_hits(normalise(text))}


@pytest.mark.parametrize("text", [
    "猫咪跑丢了 三花的 很胆小 谁看见的麻烦告诉我 必有重谢",
    "拾到一串钥匙 有个小熊挂件 放保安室了",
    "谁拿错了我的快递 蓝色袋子 麻烦自己来拿回去换一下",
])
def test_lost_and_found_is_asked_of_the_neighbours(text: str) -> None:
    assert "ask" in {hit.entries[0].kind for hit in talk_hits(normalise(text))}
    assert filed(text) is False


@pytest.mark.parametrize("text", [
    "我爸有点糊涂 早上出门走丢了 看到的告诉我 请社区帮忙一起找",
    "钱包丢了 里面有身份证和银行卡 请社区帮忙调一下监控",
])
def test_a_person_lost_or_a_plea_is_no_lost_and_found(text: str) -> None:
    assert "ask" not in {hit.entries[0].kind for hit in talk_hits(normalise(text))}
    assert filed(text) is True
