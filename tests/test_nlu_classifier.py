"""Tests for the duty classifier: duties, typos, nesting, intent overrides, need vs talk."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu import DUTIES, Classification, classify
from nlu.evaluate import evaluate, read_tsv
from nlu.evaluate import predict_label as predicted  # a duty, or "none" for talk

DATA = Path(__file__).resolve().parent / "data"
TRAINING = Path(__file__).resolve().parents[1] / "nlu" / "data" / "training"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.mark.parametrize(
    ("text", "duty"),
    [
        pytest.param("想请人来给我们支部讲讲三会一课怎么开", "party_building", id="party"),
        pytest.param("医保异地报销怎么办理，请人来讲一讲", "policy_outreach", id="policy"),
        pytest.param("楼上天天漏水到我家，沟通不了，请社区调解", "community_affairs", id="affairs"),
        pytest.param("有人天天在楼下遛狗不牵绳，请劝导一下", "civility", id="civility"),
        pytest.param("单元门口垃圾好几天没人清运，臭死了", "sanitation", id="sanitation"),
        pytest.param("车棚里有人飞线充电，太危险了，请排查", "safety", id="safety"),
        pytest.param("家里水龙头坏了，老人不会修，求帮忙", "convenience", id="convenience"),
        pytest.param("独居老人家里困难，冬天没有棉被，请帮帮他", "hardship_relief", id="hardship"),
        pytest.param("投诉某小区物业违规收费", "community_affairs", id="hotline-complaint"),
        pytest.param("某路工地夜间施工噪音扰民", "community_affairs", id="hotline-noise"),
        pytest.param("咨询灵活就业人员社保缴费政策", "policy_outreach", id="hotline-question"),
    ],
)
def test_each_duty(text: str, duty: str) -> None:
    assert predicted(text) == duty


@pytest.mark.parametrize(
    ("text", "duty"),
    [
        pytest.param("楼下拉极堆成山了，没人管", "sanitation", id="laji"),
        pytest.param("孝防通道被车堵住了", "safety", id="xiaofang"),
        pytest.param("楼到灯不亮好几天了，麻烦来修", "convenience", id="loudaodeng"),
    ],
)
def test_homophone_typos_still_classify(text: str, duty: str) -> None:
    assert predicted(text) == duty


def test_nested_term_counts_once() -> None:
    result = classify("垃圾分类做不好，请来指导一下")
    assert ("垃圾分类" in result.matched, "垃圾" in result.matched) == (True, False)


@pytest.mark.parametrize(
    ("text", "duty"),
    [
        pytest.param("请人来宣传防范网络诈骗", "policy_outreach", id="publicise-beats-hazard"),
        pytest.param("垃圾分类新规定需要宣传", "policy_outreach", id="publicise-beats-topic"),
        pytest.param("独生子女费怎么申请，需要什么材料", "policy_outreach", id="how-to-apply"),
        pytest.param("楼道堆满杂物，和邻居闹矛盾了，请协调", "community_affairs", id="dispute"),
        pytest.param("小区垃圾站旁边有安全隐患，请排查", "safety", id="hazard"),
        pytest.param("党员组织关系转入社区需要什么材料", "party_building", id="party-exempt"),
    ],
)
def test_intent_cues_override_topic(text: str, duty: str) -> None:
    assert predicted(text) == duty


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("收到", id="received"),
        pytest.param("👍", id="thumb"),
        pytest.param("大家早上好", id="morning"),
        pytest.param("好的", id="ok"),
        pytest.param("谢谢", id="thanks"),
        pytest.param("哈哈", id="haha"),
        pytest.param("[表情]", id="sticker"),
        pytest.param("", id="empty"),
    ],
)
def test_chit_chat_is_not_a_request(text: str) -> None:
    assert classify(text).is_request is False


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("社区通知：周二上午在活动室开展义诊，欢迎参加", id="notice"),
        pytest.param("明天停水通知：上午9点至下午5点，请提前储水", id="water-notice"),
        pytest.param("@所有人 垃圾分类宣传活动周日举行", id="campaign"),
        pytest.param("谢谢党员志愿者来打扫卫生", id="thanks"),
        pytest.param("出闲置婴儿车，九成新", id="trade-sell"),
        pytest.param("收旧书，价格好商量", id="trade-buy"),
        pytest.param("谁家的自行车落在楼下了", id="ask-whose"),
        pytest.param("有人知道快递点几点关门吗", id="ask-when"),
        pytest.param("今天的义诊人好多", id="event-chat"),
    ],
)
def test_group_chatter_is_left_alone(text: str) -> None:
    assert classify(text).is_request is False


def test_request_without_topic_has_no_duty() -> None:
    result = classify("求助！有件急事想请社区帮忙")
    assert (result.is_request, result.duty) == (True, None)


def test_a_plea_with_nothing_else_is_left_for_a_person() -> None:
    result = classify("麻烦社区帮帮忙")
    assert (result.is_request, result.duty) == (True, None)


def test_a_need_without_topic_words_is_still_placed_by_the_prior() -> None:
    result = classify("我妈想去银行取钱，一个人不敢去")
    assert (result.is_request, result.duty) == (True, "convenience")


def test_no_hit_gives_no_duty() -> None:
    result = classify("这个周末天气怎么样")
    assert (result.duty, result.candidates) == (None, ())


def test_to_json_shape() -> None:
    data = classify("楼道灯坏了，请帮忙修一下").to_json()
    assert sorted(data) == ["candidates", "confidence", "duty", "is_request", "matched", "text"]


def test_non_str_raises_type_error() -> None:
    with pytest.raises(TypeError, match="str"):
        classify(42)  # type: ignore[arg-type]


def test_long_text_is_bounded() -> None:
    result = classify("楼道灯坏了，请帮忙修。" + "啊" * 10_000)
    assert result.duty == "convenience"


def test_group_chatter_set() -> None:
    rows = read_tsv(TRAINING / "group_chatter.tsv")
    chatter = [text for label, text in rows if label == "none"]
    left_alone = sum(not classify(text).is_request for text in chatter) / len(chatter)
    assert left_alone >= 0.95
    assert evaluate(rows).accuracy >= 0.9


def test_fresh_chatter_is_left_alone() -> None:
    """Group chatter written independently of the lexicon: notices, 接龙, trading, asking."""
    rows = read_tsv(DATA / "nlu_fresh_chatter.tsv")
    assert len(rows) >= 150
    assert {label for label, _ in rows} == {"none"}
    talk = [text for _, text in rows if classify(text).is_request]
    assert 1 - len(talk) / len(rows) >= 0.97, talk


def test_fresh_needs_cover_every_duty() -> None:
    """Needs in many voices, 20 per duty: each duty recalled, and none left silent much."""
    report = evaluate(read_tsv(TRAINING / "fresh_needs.tsv"))
    assert report.total >= 160
    assert report.accuracy >= 0.9, report.errors
    assert all(report.per_label[d].recall >= 0.8 for d in DUTIES), report.per_label
    missed = sum(n for (gold, pred), n in report.confusion.items() if pred == "none")
    assert missed / report.total <= 0.05, report.errors


@pytest.mark.parametrize(
    "text",
    ["求推荐一个靠谱的水电师傅", "帮朋友转发一下，寻找走失的小狗", "请问哪位有梯子借我用一下"],
)
def test_talk_opening_is_not_a_plea(text: str) -> None:
    assert not classify(text).is_request


@pytest.mark.parametrize(
    ("text", "duty"),
    [pytest.param("请帮忙找个师傅修下水管", "convenience", id="plea-opening-kept"),
     pytest.param("帮帮我们家吧，孩子看病钱不够了", "hardship_relief", id="help-opening-kept")],
)
def test_plea_opening_still_counts(text: str, duty: str) -> None:
    assert predicted(text) == duty


def test_dev_set_accuracy() -> None:
    path = SHARED / "nlu_dev.tsv"
    if not path.exists():
        pytest.skip(f"shared dev set not found at {path} (shared/ must sit beside the repo)")
    assert evaluate(read_tsv(path)).accuracy >= 0.97


def test_hotline_set_accuracy() -> None:
    """12345 / 问政-style titles (complaints, consultations, hazards) written for this test."""
    report = evaluate(read_tsv(TRAINING / "hotline.tsv"))
    assert report.total >= 150
    assert report.accuracy >= 0.9, report.errors


@pytest.mark.parametrize(
    ("text", "duty"),
    [
        pytest.param("投诉物业不作为，消防通道被占存在安全隐患", "safety",
                     id="hazard-beats-dispute"),
        pytest.param("车库消防设施损坏，物业迟迟不修", "safety", id="hazard-object"),
        pytest.param("小区燃气表漏气物业不处理", "safety", id="hazard-event"),
        pytest.param("电线乱拉存在火灾隐患，物业协调不了", "safety", id="nested-override"),
        pytest.param("二七区解放大道雨水井盖破损", "safety", id="manhole-not-drain"),
        pytest.param("物业和业主为车位分配闹矛盾，请社区协调", "community_affairs",
                     id="dispute-without-hazard"),
        pytest.param("咨询电动车火灾隐患排查的相关政策", "policy_outreach",
                     id="policy-still-first"),
    ],
)
def test_hazards_outrank_disputes(text: str, duty: str) -> None:
    assert predicted(text) == duty


def check(result: Classification) -> None:
    assert 0.0 <= result.confidence <= 1.0
    assert result.duty is None or result.duty in DUTIES
    assert all(c.duty in DUTIES and 0.0 <= c.score <= 1.0 for c in result.candidates)


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text_classifies(text: str) -> None:
    check(classify(text))


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet="垃圾楼道灯坏了请帮忙谢谢通知🙂👍，。！ 拉极孝防", min_size=0, max_size=60))
def test_chinese_soup_classifies(text: str) -> None:
    check(classify(text))


@pytest.mark.parametrize(
    "text",
    [pytest.param("🙂" * 50, id="emoji"), pytest.param("垃" * 10_000, id="10kB"),
     pytest.param("\x00\ufffd\U0010ffff", id="odd-codepoints")],
)
def test_edge_texts_classify(text: str) -> None:
    check(classify(text))


@pytest.mark.parametrize(
    ("text", "duty"),
    [
        pytest.param("小区车库里天天有人聚众赌博，请管一管", "safety", id="gambling"),
        pytest.param("楼下有人持刀吓唬路人，太吓人了", "safety", id="knife"),
        pytest.param("有人上门推销保健品骗老人的钱，请提醒大家", "safety", id="elder-fraud"),
        pytest.param("楼上空调外机支架锈蚀了，随时会掉下来", "safety", id="falling-bracket"),
        pytest.param("开发商给没交钱的业主限电，请社区出面协调", "community_affairs",
                     id="supply-cut"),
        pytest.param("楼下饭店的空调噪音吵得整夜睡不着", "community_affairs", id="shop-noise"),
        pytest.param("孩子转学要交借读费吗？请讲解一下", "policy_outreach", id="school-fee"),
        pytest.param("上班路上骑车摔了，算工伤吗？想咨询一下", "policy_outreach",
                     id="injury-at-work"),
        pytest.param("家里空调坏了不制冷，老人怕热，求帮忙修", "convenience", id="ac-repair"),
    ],
)
def test_public_order_supply_and_fee_vocabulary(text: str, duty: str) -> None:
    assert predicted(text) == duty


def test_voices_set() -> None:
    """Voices not used before (on behalf of others, elderly voice typing, hotline titles for
    the rarer duties, chatter with duty words): needs classified, chatter left alone."""
    rows = read_tsv(TRAINING / "voices.tsv")
    needs = [(label, text) for label, text in rows if label != "none"]
    chatter = [text for label, text in rows if label == "none"]
    assert len(needs) >= 200
    assert len(chatter) >= 100
    report = evaluate(needs)
    assert report.accuracy >= 0.92, report.errors
    assert all(report.per_label[d].recall >= 0.75 for d in DUTIES), report.per_label
    talk = [text for text in chatter if classify(text).is_request]
    assert 1 - len(talk) / len(chatter) >= 0.97, talk


def test_styles_set() -> None:
    """Needs in the styles residents write (voice-to-text, IME homophones, dialect, emoji,
    relatives writing for a parent, two topics), and chatter: the set the lexicon was last
    tuned on, so it guards against losing what was learned, not a measure of unseen text."""
    report = evaluate(read_tsv(TRAINING / "styles.tsv"))
    assert report.accuracy >= 0.93, report.errors


def test_realistic_set() -> None:
    """Needs and look-alike chatter in residents' own styles (dialects, two topics, indirect
    complaints, relatives, elderly): tuned on, so a guard against losing what was learned."""
    rows = read_tsv(DATA / "nlu_realistic.tsv")
    report = evaluate(rows)
    assert report.accuracy >= 0.89, report.errors
    chatter = [text for label, text in rows if label == "none"]
    talk = [text for text in chatter if classify(text).is_request]
    assert 1 - len(talk) / len(chatter) >= 0.96, talk


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("上周的义诊真不错，谢谢社区！可是我们楼下的垃圾三天没人收了", "sanitation",
                 id="thanks-then-rubbish"),
    pytest.param("停电通知收到了。不过我们单元的楼道灯已经坏了一个星期，晚上黑得看不见",
                 "convenience", id="notice-then-lamp"),
    pytest.param("感谢党员志愿者上门理发 另外我家楼上天天半夜跳绳 吵得睡不着 麻烦社区协调一下",
                 "community_affairs", id="thanks-then-dispute"),
])
def test_the_need_wins_over_its_context(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


@pytest.mark.parametrize("text", ["谢谢志愿者帮我修好了水管",
                                  "物业通知：明天上午九点停水，请大家提前储水",
                                  "社区通知：周六上午义诊，有需要的居民请带好医保卡"])
def test_thanks_and_notices_alone_stay_talk(text: str) -> None:
    assert classify(text).is_request is False


def test_a_closing_thank_you_after_a_plea_is_manners() -> None:
    found = classify("我妈一个人在家客厅的灯坏了麻烦找个人帮她换一下谢谢")
    assert (found.is_request, found.duty) == (True, "convenience")
    assert classify("保安大哥昨晚帮我找回了走丢的孩子，太感谢了").is_request is False


def test_a_lexicon_row_written_twice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from nlu import lexicon

    rows = [(1, ["safety", "漏水", "3"]), (2, ["safety", "漏水", "2"])]
    monkeypatch.setattr(lexicon, "_rows", lambda _name: iter(rows))
    with pytest.raises(ValueError, match="line 2: repeats line 1"):
        lexicon._parse("lexicon.tsv", frozenset({"safety"}))


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("退休党员想把组织关系转到社区来 找哪个", "party_building", id="whom-to-see"),
    pytest.param("党组织关系转过来需要准备哪些材料", "party_building", id="what-to-bring"),
    pytest.param("城乡居民医保啥时候交", "policy_outreach", id="when"),
])
def test_a_consultation_on_a_topic_is_a_need(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("有人在楼道里晒被子挂了一排 进出都碰一脸灰", "civility", id="someone-doing"),
    pytest.param("巷子口有人倒建筑垃圾 越堆越高了", "sanitation", id="getting-worse"),
    pytest.param("路边那根电线杆歪了 电线都耷拉下来了", "safety", id="how-bad"),
    pytest.param("垃圾桶好几天没洗了 苍蝇一群一群的", "sanitation", id="how-long"),
])
def test_a_trouble_told_without_a_plea_is_a_need(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


def test_someone_seen_at_work_is_news_not_a_trouble() -> None:
    assert classify("刚刚下楼看到有人在修路灯 晚上应该就亮了").is_request is False


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("您好，我是5栋的党员，组织关系要转回老家，开介绍信找哪个部门",
                 "party_building", id="formal-address"),
    pytest.param("嗯那个就是我们单元门口的下水道堵了水漫得到处都是", "sanitation",
                 id="voice-filler"),
    pytest.param("小区大门口的铁栅栏锈得厉害 一推就晃", "safety", id="how-bad"),
])
def test_a_need_in_its_own_voice_is_a_need(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


def test_a_polite_question_to_the_office_is_a_need() -> None:
    found = classify("请问党章学习小组的活动可以在党群服务中心开吗")
    assert (found.is_request, found.duty) == (True, "party_building")


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("隔壁把三轮车停我家门口 说了不挪", "community_affairs", id="told-in-vain"),
    pytest.param("后院的化粪池满了 满院子都是", "sanitation", id="everywhere"),
    pytest.param("车棚里的电瓶车被小偷偷了好几辆", "safety", id="stolen"),
    pytest.param("9栋的电梯又坏了 上午困了人", "safety", id="trapped"),
])
def test_a_plain_trouble_is_a_need(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("楼上那户在家里弄木工 电锯从早上八点响到晚上十点", "community_affairs",
                 id="noise-into-the-night"),
    pytest.param("跟楼上说了一百遍了 空调水还是往我家窗台上滴", "community_affairs",
                 id="told-a-hundred-times"),
    pytest.param("通知收到了 还有个事 我们单元的消防栓箱子是空的", "safety", id="empty"),
])
def test_a_trouble_said_the_residents_way_is_a_need(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


def test_a_forwarded_notice_telling_what_not_to_do_is_talk() -> None:
    assert classify("转发：关于夏季用电的温馨提示 不要私拉电线给电动车充电").is_request is False


def test_a_second_topic_announced_after_thanks_is_the_need() -> None:
    found = classify("谢谢社区送的福字！顺便问一下，党员民主评议的材料什么时候交")
    assert (found.is_request, found.duty) == (True, "party_building")


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("大家好 我家厨房水管昨晚爆了 到处是水 今天能来人修吗", "convenience", id="hello"),
    pytest.param("中秋快乐！另外替楼下邻居问一下，她家孩子是自闭症，有没有康复救助的名额",
                 "hardship_relief", id="good-wishes"),
])
def test_a_greeting_opens_a_need_as_a_thank_you_does(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


@pytest.mark.parametrize("text", ["大家早上好☀️", "国庆快乐🎉 祝各位邻居节日快乐"])
def test_a_greeting_alone_stays_talk(text: str) -> None:
    assert classify(text).is_request is False


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("楼下有人打架", "safety", id="fight"),
    pytest.param("那边有人晕倒了", "safety", id="collapsed"),
])
def test_a_short_urgent_need_names_its_duty(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


def test_everyone_is_no_fight() -> None:
    assert classify("我们楼长真负责，每天都在群里提醒大家").is_request is False


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("车停得横七竖八 消防车都进不来", "safety", id="blocked"),
    pytest.param("蟑螂从楼下爬上来 一晚上十几只", "sanitation", id="pests-coming-in"),
])
def test_an_incident_told_as_it_happened_is_a_need(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("窗台上的花架子锈了 风一吹就晃", "safety", id="gives-at-a-touch"),
    pytest.param("电动车推到楼梯口 晚上插着充电", "safety", id="charged-where-people-pass"),
    pytest.param("又是谁家的狗在电梯里拉屎 恶心死了", "civility", id="who-again"),
    pytest.param("水龙头放出来的水有股怪味", "sanitation", id="smell"),
])
def test_a_complaint_in_passing_is_a_need(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


def test_a_classification_is_the_value_its_fields_make() -> None:
    found = classify("楼道灯坏了好几天，请社区派人修一下")
    made = Classification(**{f.name: getattr(found, f.name) for f in fields(Classification)})
    assert (found, repr(found), found.to_json()) == (made, repr(made), made.to_json())
