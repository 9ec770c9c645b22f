"""The shapes of an accept that no phrase list covers: a time or a way (我可以下午去, 我十分钟后到
楼下), counting oneself in (+1, 算我一个) and a yes with its condition (可以，不过得九点以后)."""

from __future__ import annotations

import re

from nlu.reply_shapes import CARRY, DONE_CORE, SPAN, WORK, starts_grouped

# An accept names when or how: 我可以下午去, 明早八点我过去, 我明天过去帮忙, 十点以后我能到,
# 下班就过去, 周六上午可以, 周末的话我可以, 老李和我一起去, 我们三个人都去, 我们俩一起去,
# 我十分钟后到楼下; an offer of what
# one can do (我可以陪老人去医院), where one waits (我在小区门口等你们), on one's way (顺路捎上
# 老人) or a time put as all but one (除了周五都行, 只要是晚上就行).
_TIME = (r"(?:[这下本]?(?:周|星期|礼拜)[一二三四五六日天末]|[今明后]天|明儿|"
         r"[今明][晚早]|[上下中]午|晚上|早上|傍晚|白天|全天|整天|这周|下周|本周|随时|"
         r"[午晚]?饭后|下班后|下班以后|放学后|[0-9一二三四五六七八九十两]{1,3}[点时]半?|"
         r"[一两三四五六七\d]天|[0-9一二三四五六七八九十两半]{1,3}(?:分钟|个?小时(?=内|后|左右))(?:内|后|左右)?|"
         r"(?:什么|啥)时候|以后|之后|以前|前|后|左右|"
         r"[到至~-](?=[周星礼明后\d一二三四五六七八九十两]))")
_GO = r"(?:过去|过来|下楼|出门|出发|上门|去|到|来)"
_ACCEPT = re.compile(starts_grouped(
    rf"^(?:我(?:这边|这儿)?{_TIME}*|{_TIME}+(?:的话)?我?)[都也就]?(?:可以|行|能行|ok|没问题|有空|有时间)"
    r"(?:的|哈|吧|啊|呀|哦|嘛)?$|"
    rf"^(?:{_TIME}|到时候|等会儿?|待会儿?|回头|[^不没]{{1,4}}的话|(?:不管|无论)[^我]{{1,6}})*我(?!们|家)[^不没别几啥哪谁是]{{0,10}}?{_GO}"
    rf"(?:现场|那边|楼下|楼上|门口|社区|小区|帮忙|看看|看一下|瞧瞧|瞅瞅|瞅一眼|看一眼|处理|一趟|一下|接|看)?"
    rf"(?:帮忙?|帮(?:把手|一把|个忙|你们|大家|老人))?{WORK}?(?:{_TIME})?"
    r"(?:吧|哈|啊|呀|哦|的)?$|"
    rf"^(?:{_TIME}|马上|立马|立刻|这就|现在就?|大概|大约|估计|准时|按时)+{_GO}(?:一趟|一下|看看)?"
    r"(?:吧|哈|啊|的)?$|"
    rf"^我?(?:一定|肯定|必须|保证)会?{_GO}(?:的|吧)?$|^我?马上(?:就?{_GO})?$|"
    rf"^我?(?:马上|这就|立马|立刻|立即|即刻|尽快)(?:{WORK}|安排|联系|落实|跟进|对接)|"
    rf"(?<![不没])就{_GO}(?:吧|哈|啊|的)?$|"
    r"(?<![不没])(?:可以|能够?)(?:过|赶)?(?:去|来|到|上门)(?:的|吧|哈)?$|"
    rf"(?<![不没])(?:可以|能|会){WORK}(?:的|吧|哈)?$|(?<![没不])有(?:空|时间)|"
    rf"(?:和|跟|同)我一起{_GO}|^我(?:和|跟|同)[^不没]{{1,4}}一起{_GO}|^我们[^不没]{{0,8}}(?:都|一起|一块儿?){_GO}|"
    rf"^我也?(?:可以|能|愿意)[^不没吗么]{{0,6}}(?:{_GO}|陪|帮|当|{WORK}|{CARRY})|"
    # bringing someone along (我叫上我老公一起) or asking to be brought (带上我)
    r"^我(?:叫上|喊上|带上|拉上)[^不没]{1,6}(?:一起|一块儿?)|^(?:带上|算上|加上)(?:我|俺)(?:吧|哈)?$|"
    rf"^我?(?:{_TIME})*在[^不没]{{1,8}}等(?:你们|大家|着)?$|(?:顺路|顺道|顺便)(?:{CARRY}|{_GO}|看看)(?!我)|"
    r"除了[^不没]{1,6}[都也](?:行|可以|有空|能)|^只要[^不没]{1,8}就(?:行|可以|没问题)|"
    r"^(?:过去|过来)帮(?:忙|把手)(?:吧|哈)?$|"
    rf"^(?:等我?)?[^不没我]{{1,5}}(?:完|好)[^不没就再]?(?:就|再)(?:马上)?{_GO}(?:吧|哈|啊)?$|"
    r"^(?:(?:有事)?喊我|有事[叫找]我)一?[声下]?就(?:行|好|可以)|"
    r"^我(?:这边|这儿|们)?[^不没]{0,4}?(?:能|可以)?出[一两二三四五六七八九十\d]个人?|"
    # the work claimed (送菜的活给我), a bare coming (来咯来咯), an escort at a time
    # (明早我陪阿姨去)
    r"(?:活儿?|事儿?|单子?|任务)就?(?:给|交给|归)(?:我|俺)(?:吧|了|哈)?$|^(?:来(?:了|啦|咯|喽|嘞)){1,2}$|"
    rf"^(?:(?:{_TIME})+我|我)(?:{_TIME})*(?:来|去)?(?:陪|送|接|带)"
    r"(?!孩子|娃|小孩|儿子|女儿|闺女|老伴|老婆|老公|媳妇|爸|妈|我|电话)[^不没]{1,8}$|"
    rf"^我(?:{_TIME}|{SPAN})+(?:就|能|可以)?{DONE_CORE}(?:吧|哈)?$"))
# Around at a time (周末两天我都在) or to be waited for (等我十分钟), looked for only when 都在 or
# 等 is there.
# Going as all it takes (我到时候直接去老人家里就行吧), looked for only when 就 is there.
_GOING_WILL_DO = re.compile(rf"我[^不没别几啥哪谁是]{{0,10}}?{_GO}[^不没]{{0,6}}就(?:行|可以|好)"
                            r"(?:了|吧|哈)?$")
_AVAILABLE = re.compile(rf"^(?:{_TIME})+我?都在(?:家)?(?:的|呢|哦)?$|"
                        rf"^(?:{_TIME})+[^不没]{{1,5}}见(?:哈|啊|吧)?$|"
                        rf"^等(?:我|俺)(?:一下|一会儿?|下|{_TIME})(?:哈|啊|吧|哦)?$|^等(?:我|俺)到(?:了|时候)?")


_TIMED = re.compile(rf"^{_TIME}+")
# Counting oneself in: +1, 加一, 算我一个, 带我一份.
_PLUS_ONE = re.compile(r"(?<![\d+参增追添])(?:\+|加)\s*(?:1|一)(?![\d个点些下份倍次遍天])|"
                       r"算(?:上?(?:我|俺)(?:们家|家|们)?)?也?一[个份]|[加带]上?我一[个份]|我也?来一[个份](?:吧|哈)?$|"
                       r"^我?(?:是)?第[\d一二三四五六七八九十]{1,3}个|"
                       r"(?:把我|我的?名字|把名字)[^不没]{0,4}?(?:加|写|填|报|添)上|"
                       r"^(?:也|就)?算(?:上)?(?:我|俺)(?:们家)?(?:吧|哈)?$")
# A bare yes, or its dialect word (中, 要得), once or twice (可以可以), takes the call when a
# condition or a question about the work follows it (可以，但是得九点以后; 中 等俺吃完饭;
# 可以的，几点到？), and so does an offer put as a question (我晚上七点过去可以吗).
_YES = re.compile(r"^(可以|行|能行|能|ok|中|要得|成)\1?(?:的|吧|啊|哈|呀|嘞|嘛)?$")
_CONDITION = re.compile(r"^我?(?:但是?|不过|就是|只是|只能|得|要|需要|除非|等|如果|先)|"
                        r"^我家?(?:就|正好|刚好|恰好|刚巧)?(?:在|住)(?:附近|隔壁|楼下|对面|旁边)")
_OFFER = re.compile(r"^(.+?)(?:可以|行|好|成)(?:吗|么|不|不行)$")


def another_time(said: list[str], refused: list[bool], accepted: list[bool]) -> bool:
    """Whether a reply refuses only at the times it names and takes the call at another (周六
    可以 周日不行, 上午不行 下午可以), given per clause whether it refuses and accepts."""
    return any(accepted) and all(_TIMED.match(clause) and not yes
                                 for clause, no, yes in zip(said, refused, accepted, strict=True)
                                 if no)


def accepts(clause: str) -> bool:
    """Whether a clause takes the call in a shape: a time, a way, a +1."""
    return bool(_ACCEPT.search(clause) or _PLUS_ONE.search(clause)) or (
        ("都在" in clause or clause[:1] == "等" or "见" in clause[-2:])
        and _AVAILABLE.match(clause) is not None) or (
        "就" in clause and _GOING_WILL_DO.search(clause) is not None)


def accepts_on_condition(parts: list[tuple[str, bool]]) -> bool:
    """Whether a reply's clauses (each with whether it asks) hold a yes with its condition
    or an offer put as a question."""
    offers = (_OFFER.match(clause) for clause, asks in parts if asks)
    return any(_YES.match(yes) and (asks or _CONDITION.match(then))
               for (yes, _), (then, asks) in zip(parts, parts[1:], strict=False)) or \
        any(offer and _ACCEPT.search(offer.group(1)) for offer in offers)
