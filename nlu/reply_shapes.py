"""Families of reply shapes that no phrase list covers: the work that is done (路灯换好了) or
not yet (还没弄好) and the verb that cannot (去不了). Clauses and questions are read in
nlu/reply_clauses.py, the shapes of an accept in nlu/reply_accepts.py, whose words a clause are
(a report, someone else's) in nlu/reply_voices.py."""

from __future__ import annotations

import re

from nlu.reply_voices import said_of_someone_else


def starts_grouped(pattern: str) -> str:
    """The pattern with its top-level alternatives that start with ^ put in one group behind a
    single ^: a search then tries them once, at the start, not at every position."""
    alternatives, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            alternatives.append(pattern[start:i])
            start = i + 1
        i += 1
    alternatives.append(pattern[start:])
    anchored = [alt[1:] for alt in alternatives if alt.startswith("^")]
    rest = [alt for alt in alternatives if not alt.startswith("^")]
    return "|".join([f"^(?:{'|'.join(anchored)})"] * bool(anchored) + rest)


# --- the work: verbs, done and not yet --------------------------------------------------------
_WORK_VERBS = ("修理|维修|修复|处理|打扫|清理|清运|安装|更换|登记|统计|整理|汇总|核对|劝导|收拾|"
               "拾掇|疏通|联系|对接|沟通|安排|走访|探访|慰问|调解|协调|化解|回访|看望|探望|随访|预约|挂号|"
               "落实|安顿|"
               "修|换|装|扫|弄|整|办|做|搞|清|理|劝|干|调|挪|搬|拉|运|送|填|报|续|贴|挂|补|刷|拆|擦|洗|剪|缴|"
               "充|撕|铲|拔|推|捡|拖|摘|砍|盖|关|合|打开|铺|检查|复查|扶|通知|晒|"
               # a craft's verbs (焊好了, 钉牢了, 砌好了) and a talk that settles it (谈妥了)
               "焊|钉|粘|封|砌|抹|通|谈|锁|找|抽|量|测|存|分|巡逻|巡查|排查")


def by_first_character(words: list[str]) -> str:
    """The words as one pattern grouped by their first character (修(?:理|复)?|...), each
    group's longer words first: a position tries one group, not every word."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    branches = []
    for first, rests in groups.items():
        longer = "|".join(sorted((rest for rest in rests if rest), key=len, reverse=True))
        bare = "" in rests
        branches.append(first + (f"(?:{longer}){'?' * bare}" if longer else ""))
    return "|".join(branches)


# The verbs' first characters looked at first: most positions of a clause start none, and the
# many shapes holding the work then fail at once instead of trying each verb.
WORK = (f"(?:(?=[{''.join(sorted({verb[0] for verb in _WORK_VERBS.split('|')}))}])"
        f"(?:{by_first_character(_WORK_VERBS.split('|'))}))")

CARRY = r"(?:送|交|带|递|寄|取|拿|捎|买)"
# The work's result: finished, gone, clean or, in the north-east, 利索 (拾掇利索了).
# A dispute's end is its own result: talked round (谈拢了), reconciled (和解了, 握手言和), or
# any work that succeeded (调解成功).
DONE_CORE = (rf"(?:{WORK}(?:好|完|妥|通|掉|走|开|干净|干(?![活嘛吗啥])|利索|利落|归一|牢|稳|结实|"
             r"回来|出来|起来|上去|出去|上|过|齐|完毕|拢|成功)|"
             r"(?:交|买|取|寄)(?:好|完|齐)|接(?:好|通)|找(?:到|着)|办下来|通知到|"
             rf"发(?:到|过去|完|放完)|{CARRY}(?:到|达|回来|过去|上去)|疏?通|搞定|完成|完工|办结|"
             r"结束|完毕|解决|和解|言和)")
_PARTICLE = r"(?:了|啦|咯|嘞|喽|啰|哒|咧|勒)(?:哈|啊|呀|哦|哟|的)?"
# Verbs whose bare past is the whole job in a short clause (灯泡换了); 弄了 or 报了 says less.
_REPLACED = r"(?:换|装|修|送|清|扫|挪|搬|运|修理|维修|处理|打扫|清理|安装|更换|打开)"
# Done is the work and its end, said as past (换好了) or marked so (已送到, 已清理, 刚弄完,
# 服务结束, 打扫完毕), what was carried and where to (送上楼了, 送到老人家里了) or the work with its
# object (理完发了, 交好电费了), handed over (东西交给张阿姨了; 交给我了 takes the call), replaced
# with a new one (已经换了新的, 水龙头换新的了; not 得换新的了), done for or with someone
# (已帮老人交了电费, 已陪老人看完病了, 水费帮缴了), brought home (老人已经安全到家, 老人接到了),
# everyone told (都通知到了, 已电话通知), a short job with its object (车主已经挪车了), put in its
# place (快递放门口了) or a named job over (陪诊结束), the work done with its object after it
# (已经通知到每一户了) or the trouble gone (现在不漏了, 能用了, 灯亮了); 修好 alone is a promise
# (明天修好).
_DONE = re.compile(starts_grouped(rf"{DONE_CORE}{_PARTICLE}$|"
                   rf"(?:^|已经?|刚刚?|都|全|全部|全都|均|服务|任务|活动|工作|巡逻|巡查|值班|排查|清扫|演练){DONE_CORE}$|"
                   rf"已经?(?:上门|电话|帮忙?)?{DONE_CORE}了[^不没还]{{1,6}}$|"
                   rf"已经?(?:电话|微信|短信|当面|上门)?{WORK}了?$|{WORK}?完毕$|^.{{0,4}}{_REPLACED}了$|"
                   r"已经?(?:挪|换|修|装|理|剪|洗|扫|贴|挂)[\u4e00-\u9fff]了$|"
                   r"^已经?[^不没还]{1,12}(?:好|完|妥|过|通|掉|走|干净|回来)了?$|"
                   rf"{CARRY}(?:到|回|进|上|下)[^不没还]{{1,6}}{_PARTICLE}$|"
                   rf"(?:{WORK}|{CARRY})(?:好|完)[^不没还了]{{1,4}}{_PARTICLE}$|"
                   rf"{CARRY}给(?![我你])[^不没还]{{1,8}}{_PARTICLE}$|"
                   rf"已经?{WORK}(?:成|上|了)?个?新的(?:{_PARTICLE})?$|"
                   r"^已经?(?:帮忙?|替|给|陪)[^不没还]{0,8}(?:了|好|完|妥)|"
                   rf"帮忙?(?:{WORK}|{CARRY})(?:好|完)?了$|已经?(?:安全|平安|顺利)?(?:到家|回家)了?$|"
                   r"^[^不没还我]{0,6}放(?:到|在)?[^不没还群]{1,6}[上里口边前]了$|"
                   r"^[^不没还我]{0,6}接(?:到|回来|回家|到家)了$|"
                   rf"已经?{CARRY}回(?:家|来|去)了?$|{WORK}新{_PARTICLE}$|"
                   rf"已经?{WORK}(?:到|进|回)[^不没还]{{1,6}}{_PARTICLE}$|"
                   rf"^(?:已经?|刚刚?)(?:将|把)[^不没还]{{1,10}}(?:{WORK}|{CARRY}|接)"
                   r"(?:好|完|妥|回来|到|至|给|过去|上去|走|掉)|"
                   r"^[\u4e00-\u9fff]{1,3}结束(?:了|啦)?$|"
                   rf"已经?{DONE_CORE}(?!一半|大半|部分|一点)[^不没还]{{1,6}}{_PARTICLE}$|"
                   rf"已{CARRY}(?:到|给)[^不没还吗]{{1,8}}$|"
                   r"不(?:漏|堵|滴|渗)水?了$|(?:能|可以)(?:用|充电|上网|打火|出水|洗澡|做饭)了$|好使了$|"
                   r"恢复(?:正常|供电|供水|通电|通水)?了?$|灯[^不没]{0,3}亮(?:了|啦|咯)$|"
                   r"^[^不没还]{0,4}(?:有|来)(?:电|水|热水|暖气|信号)了$|"
                   r"^(?:现在|已经)?(?:电|水|热水|暖气|信号|网)(?:也|都)?(?:来了|有了|通了|热了|热乎了)$|"
                   r"(?:现在|已经)(?:能|可以)?(?:热|亮|通)了$"))
# Not yet: the work negated (没修完, 还没送过去) or under way (正在弄, 快修好了).
# 马上 or 快 before the bare work is a promise (我马上处理), before its result nearly done.
# Also done only in part (弄好一半了, 还没完全修好) or with the trouble still there
# (修好了但是还有点漏, 换好了 不过还是不亮).
_UNFINISHED = re.compile(rf"(?:还?没有?|还?未|尚未|正在|还在|(?<![现实存])在)(?:完全|全部|彻底)?"
                         rf"(?:{WORK}|{CARRY}|{DONE_CORE})|"
                         r"还是?(?:有点|有些)?(?:漏|滴|渗|堵|不亮|不通|不热|不行|坏)|"
                         rf"(?:快要?(?!递)|就快|马上就?|差不多)(?:{DONE_CORE}|{WORK}?(?:好|完))|"
                         r"还差(?:一点|一些|点|些|一会)|(?:还没有?|还未|尚未)(?:到货|到|齐|开始|动工)")
# Done in part, looked for only when 半 or 部分 is there.
_IN_PART = re.compile(rf"{DONE_CORE}了?(?:一半|大半|一部分)")
# The end of the work said as to come, a promise or a condition: 应该很快就能弄好, 还要一个小时
# 才能修好, 弄完了跟你说, 搞定了在群里说一声 (not 已经弄完了，跟你说一声).
# A span of time the work will take (十分钟, 半小时内).
SPAN = r"[0-9一二三四五六七八九十两半]{1,3}(?:分钟|个?小时)(?:内|以内|之内)?"
_PROMISED = re.compile(rf"(?:(?<![刚方])才|能|会|要|得)(?:能|会|可以)?{DONE_CORE}|"
                       rf"{SPAN}(?:就|能)?{DONE_CORE}(?!了)|"
                       rf"^(?!已)[^已]*?{DONE_CORE}了?(?:再|就)?(?:跟|和|给|告诉|通知)(?:你|您|大家)")
# The end of the work as the time to tell (搞定了在群里说一声), looked for only when 一声, 一下 or
# 个话 is there.
_TELL_WHEN = re.compile(rf"{DONE_CORE}了?(?:记得|就|再)?(?:在?群里)?(?:说|讲|报|吱|回)"
                        r"(?:一声|一下|个话)")
# A hedge over how the work turns out, not over coming: 我来试试，不一定修得好.
_OUTCOME_HEDGE = re.compile(rf"不一定(?:能|会)?{WORK}得?(?:好|了|定|完|成)")


# Replaced with a new one without 已 (水龙头换新的了, 开关换了个新的; not 得换新的了, 换个新的),
# looked for only when 新的
# is there.
_NEW_ONE = re.compile(rf"(?<![要得该需]){WORK}"
                      rf"(?:(?:成|上)?个?新的{_PARTICLE}|了个?新的(?:{_PARTICLE})?)$")


def is_done(clause: str) -> bool:
    """Whether a clause reports the work finished."""
    return bool(_DONE.search(clause)) or ("新的" in clause and _NEW_ONE.search(clause) is not None)


def unfinished(text: str) -> bool:
    """Whether the text says the work is not finished yet."""
    return bool(_UNFINISHED.search(text)) or (
        ("半" in text or "部分" in text) and _IN_PART.search(text) is not None)


def promised(clause: str) -> bool:
    """Whether a clause's done words are a promise or a condition, not a report (才能弄好)."""
    return bool(_PROMISED.search(clause)) or (
        ("一声" in clause or "一下" in clause or "个话" in clause)
        and _TELL_WHEN.search(clause) is not None)


def hedges_outcome(clause: str) -> bool:
    """Whether a clause doubts how the work will turn out rather than whether one comes."""
    return bool(_OUTCOME_HEDGE.search(clause))


# --- declines ---------------------------------------------------------------------------------
# Cannot: the verb with 不 and its result (去不了, 抽不出, 赶不回来, 来不得); not going (不能接,
# 没法去, 就不去了); away (人不在本地); busy (有点忙, 家里有点事, 没有时间); unwell (身体不太好,
# 我眼睛不好, 我腿受伤了, 家里老人病了, 在医院输液); not able (不懂, 不太会弄, 我搬不动, 真弄不懂 —
# said of oneself: 老人提不动 is a need); not doing it (这活我不干了); staying out
# (我就不凑这个热闹了); taken up elsewhere (周末要带孩子上课, 要陪老伴看病, 我这周上晚班,
# 得在家陪着, 明天一早的飞机); away until later (下周才回) or elsewhere (我在深圳呢, 人在北京); no
# skill for it (修不好, 没这手艺); kept from it (医生不让干重活, 脚崴了).
_DECLINE = re.compile(starts_grouped(
    r"(?:去|来|接|干|做|弄|整|修|搞|帮|爬|报|走|赶|回|抽|请|参加|过|出|进|腾|挤|顾|离|到|办|起|脱|扛|撑|顶|熬)"
    r"不(?:了|成|来|去|得|动|开|出|上|到|及|住|定|过来|过去|回来|回去|起)|请不(?:下来|到)|"
    r"(?:^|我|俺|也|都|真)(?:(?:搬|抬|扛|拿|提|跑|送)不(?:动|了)|(?:弄|整|搞)不(?:明白|懂))|"
    r"(?:^|我|俺)(?:修|弄|整)不好|没(?:这|那)个?(?:手艺|本事|技术|能力)|"
    r"(?:安排|排|约)满了|排不(?:开|过来)|(?<!没)有(?:别的|其他|其它)?(?:安排|约)(?:了|啦)?$|"
    r"^(?:我|俺)?[^不没的]{0,4}?[上值](?:夜|晚|早|中|白|大夜)班(?!的)|(?:得|要)在家(?:陪|看|带|照顾|等)|"
    r"的(?:飞机|航班|火车|高铁|动车)$|(?:医生|大夫)?不让(?:我)?(?:干|做|去|出门|爬|搬|劳累)|"
    r"^(?:我的?)?(?:腿|脚|腰|手|胳膊|膝盖|脖子)(?:崴|扭|闪)(?:了|伤)|"
    r"^我?人?在(?!家|楼|路上|小区|附近|门口|这|那|现场|群|修|弄|搞|整|做|干|装|换|扫|处理|打扫|清理|.着)"
    r"[\u4e00-\u9fff]{2,4}(?:呢|哦|啊)$|"
    r"^我?人在(?!家|楼|路上|小区|附近|门口|这|那|现场|群)[\u4e00-\u9fff]{2,4}$|"
    r"(?:我|俺|就|也)不(?:干|做|弄)了?$|"
    r"(?:不(?!过[去来])|不能够?|没法|没办法|无法|不打算|不想|不准备|不再|不方便)"
    r"(?:去|来|接|参加|参与|报名?|过去|过来|到场|出门)|(?:不能够?|没法|没办法|无法)(?:干|做|弄|帮)|"
    r"(?<!老人)(?<![他她])不在(?![乎意])|(?:老毛病|老寒腿|腰病|腿病|病)又?犯了|走路[都也]?(?:费劲|困难)|"
    r"家里来(?:了)?(?:亲戚|客人)|(?<!现)在[\u4e00-\u9fff]{1,4}(?:培训|开会|学习|出差|考试|上课|办事)|约了?(?:医生|大夫|牙医|专家号|体检|复查|面试|考试)|"
    r"^(?:我|俺)?(?:今天|明天|后天|今晚|明晚|白天|上午|下午|晚上|这几天|这周)+(?:要|得|在)?"
    r"上(?:班|课)(?:呢|哦|啊)?$|"
    r"(?<![送到])在医院|"
    r"(?:身体|腿脚?|腰|脚|眼睛|耳朵|膝盖)[^不]{0,3}不(?:太|大)?(?:好|舒服|行|方便)|(?<![帮不个])忙(?!完|好)|"
    r"^(?:(?:结果|但是|可是|不过)?(?:我|家里|家人|孩子|娃|老人|老婆|老公|媳妇|我妈|我爸)|"
    r"(?:我|俺)?(?:今天|昨天|昨晚|这两天|这几天|最近|刚刚?|突然)+)[^不没]{0,6}"
    r"(?:受伤|扭伤|骨折|住院|生病|病了|发烧|感冒|不舒服|吐了|拉肚子|咳嗽|过敏|中暑|手术|开刀)|"
    r"(?:我|那)就不(?!用|好|错|行|太|是|会|知)[\u4e00-\u9fff]{1,6}了$|"
    r"才(?:能)?(?:回(?:来|去|家)?|下班)$|[轮倒]班|(?<!不)(?:要|(?<![记觉懂获值显晓舍])得)(?:带孩子|带娃|接孩子|送孩子|加班|值班|出差|开会|陪|复查|体检|看病|"
    r"辅导|照顾|"
    r"去医院(?!陪|送|接|看望))|"
    # the sender's name struck off the sign-up (把我划掉, 我的名字删了吧, 去掉我)
    r"(?:把我|我的?名字|把名字)[^不没]{0,6}?(?:划|删|去|撤|拿|勾)(?:掉|除|了)|"
    r"(?:划|删|去|撤|拿)掉我|"
    r"不(?:太|大|是很)?方便|没有?(?:空|时间)|(?<!没)有(?:点儿?|些|个|急)事|"
    r"不(?:太|大|怎么)?(?:会(?=$|[弄修做用搞操装开整干])|懂|擅长|熟悉?)"))


# Somewhere else to be at the time (周六得回老家, 我明天要去北京, 下午要赶去接外孙): a time, then
# 要 or 得 and a going whose place is not the work's (not 去帮忙, 去看看, 去现场, 去老人家).
_WHEN = (r"(?:[这下本]?(?:周|星期|礼拜)[一二三四五六日天末]|[今明后]天|明儿|[今明][晚早]|"
         r"[上下中]午|晚上|早上|傍晚|白天|这周|下周|周末|那天|那会儿?|到时候|这两天|这几天)")
_ELSEWHERE = re.compile(rf"^(?:我|俺)?(?:{_WHEN})+(?:我|俺)?(?:{_WHEN})*"
                        r"(?:要|得)(?:去|回|赶|跑)(?:一?趟)?"
                        r"(?!帮|看看|瞧瞧|现场|那边|处理|老人|他家|她家|你家|一下|的话|社区|小区|居委|活动|报名|参加)"
                        r"[\u4e00-\u9fff]{2,}")


# Taken up at the time, said by what takes it: a commitment named with its time and the
# sender (我明天考试; 明天开会 alone is a notice),
# the time itself not good (这周不太行), an engagement (周六我有个饭局), family to see to
# (明天我要带孙子打疫苗, 家里老人需要人照顾), a load of one's own (手头事情多, 还上着班呢) or
# tiredness (今天实在是太累了).
_TAKEN_UP = re.compile(starts_grouped(
    rf"^(?:(?:我|俺)(?:{_WHEN})+|(?:{_WHEN})+(?:我|俺)(?:{_WHEN})*(?:要|得)?|(?:{_WHEN})+(?:要|得))"
    r"(?:考试|面试|上课|开会|出差|加班|值班|培训|体检)(?:呢|哦|啊)?$|"
    rf"^(?:我|俺)?(?:{_WHEN})+(?:我|俺)?(?:可能|恐怕)?(?:不太|不大)(?:行|方便)$|"
    r"有个?(?:饭局|聚会|应酬|婚礼|考试|面试)|有个局|"
    r"(?:要|得)(?:带|接|送|陪|照顾|看)(?:孩子|娃|小孩|孙子|孙女|外孙女?|儿子|女儿|闺女|老人|老伴)|"
    r"家里[^不没]{0,4}需要人(?:照顾|陪|看着)|上着班|(?:手头|手上|最近)[^不没]{0,2}(?:事情?|活儿?)"
    r"(?:太|很|比较|有点|特别)?多|^(?:我|今天|这两天|最近)[^不没]{0,4}(?:太|好|很|特别)累"))


# ...unless the going is to do the work (我下午要去老李家修水管), not for one's own family.
_HELPING = re.compile(rf"帮|{WORK}|{CARRY}")
_KIN = re.compile(r"孩子|娃|孙子|孙女|外孙|儿子|女儿|闺女|老伴|老婆|老公|媳妇|爸|妈|丈母娘|"
                  r"公公|婆婆|老家|娘家")


def declines(clause: str) -> bool:
    """Whether a clause says the sender cannot or will not come: not a condition (老李去不了
    的话) nor a limit beside an offer (别的我也不会)."""
    if refuses_nothing(clause):
        return False
    if _TAKEN_UP.search(clause):
        return True
    elsewhere = _ELSEWHERE.search(clause)
    if elsewhere and (_KIN.search(clause, elsewhere.start())
                      or not _HELPING.search(clause, elsewhere.start())):
        return True
    found = _DECLINE.search(clause)
    return found is not None and not said_of_someone_else(clause, found.start(), found.end())


# A reason only guessed at (说不定有事, 也许要加班), or a refusal only if something happens
# (下雨就算了, 要是人够了就不去了), leaves the answer open.
_DOUBTED = re.compile(r"(?:说不定|也许|或许|没准|不一定)(?:会|还|要|得)?"
                      r"(?:有事|有安排|忙|加班|值班|出差)|"
                      r"(?:要是|如果|万一|下雨|下雪|刮风|人够|人满|太晚)[^就]{0,6}就(?:算了|不去了|不来了)")


def refuses_nothing(clause: str) -> bool:
    """Whether a clause's cannot is a condition (老李去不了的话), a limit beside an offer
    (别的我也不会, 其他的干不了) or a reason only guessed at (说不定有事), which refuses nothing."""
    return clause.endswith("的话") or clause[:2] in ("别的", "其他", "其它") \
        or _DOUBTED.search(clause) is not None


def others_cannot(clause: str) -> bool:
    """Whether a clause's cannot is someone else's (老人去不了医院), not the sender's."""
    found = _DECLINE.search(clause)
    return found is not None and said_of_someone_else(clause, found.start(), found.end())
