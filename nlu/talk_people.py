"""Shapes of group talk about people (``nlu.shape``): gossip about a third party, a family's
everyday news, a trouble compared with the neighbours' own, praise of someone who helped,
an offer of one's own help and a nuisance excused.

A community files what its residents ask of it or tell it is wrong where they live; a
neighbour's news about someone else (听说3栋那家又吵起来了), about their own children (孙子学会
骑车了, 摔了好几次) or a nuisance put to the others as a question about theirs (天天停水烦死了
大家家里也这样吗) is told, not asked. Each shape gives way to a plea, and gossip to any sign
that the writer's own home is touched (把我家墙震裂了) or that the writer is afraid.
"""

from __future__ import annotations

import re

from nlu.quick import quick
from nlu.shape import Shape, compiled

_WANT = (
    # A household in want (饭都吃不上, 学费凑不齐, 好造孽 read 好可怜): a plight the
    # community relieves, whoever tells it.
    r"帮一把|帮帮|凑不齐|交不起|看不起|没钱|花光|吃饭都|饭都|吃不[上饱起]|恰不起|掏不起|撑不住"
    r"|没人(?:管|照顾|做饭)|不够|没挣钱|一分钱|低保|残疾|瘫|一个人(?:住|躺|过|在家)|就(?:她|他)一个人"
    r"|被子|冇得|莫得|癌|造孽|作孽|恓惶|儿女都不|住院|进医院|得了病|打零工|家里可怜|可怜得很|很可怜"
    r"|老可怜")
_KIN = (r"(?:阿姨|大爷|奶奶|爷爷|大妈|大娘|婶|姐|哥|叔|老爷子|老太太|师傅|小哥|大姐|老板)")
_SURNAME = r"[王张李刘陈赵孙周吴郑黄徐马胡朱何高林罗杨]"

GOSSIP = Shape("chat", compiled(
    # Where it was heard or seen: 听说, 听楼下说, 你们知道吗, 好像, 看到.
    r"听说|据说|听人说|听[^，,。\s]{1,5}说|(?:你们|大家)(?:知道|听说)|有人说|说是",
    # Whose news it is: a household of another building (3栋那家, 隔壁老王家, 有户人家,
    # 五号楼的李阿姨), or someone of theirs (她老公, 他们家).
    rf"[\d一二三四五六七八九十]+(?:号楼|栋|号|单元|楼)[^，,。\s]{{0,3}}?(?:那家|那户|那个|那位|有户|有个|有人家)"
    rf"|隔壁(?:单元|楼|老|那)|老{_SURNAME}家?|{_SURNAME}{_KIN}家?|有户人家|有人家|那家|那户|他们家|她家|他家"
    r"|(?:他|她)(?:老婆|老公|妈|爸|儿子|闺女|女儿|孙子)|小两口|老两口|老爷子|老太太|两个保安"
    # …or someone who works here (那个保安大爷, 门卫的师傅).
    r"|(?:保安|保洁|门卫|物业)的?(?:大爷|阿姨|大姐|师傅|小哥|大叔)",
    # What becomes of them, or how the teller feels for them: 真可怜, 怪不容易的, 后来…,
    # 退休了, 跑路了.
    r"可怜|不容易|辛苦|^(?:唉|哎)|吓死人|不知道为(?:啥|什么)|年纪轻轻|虚惊一场|后来|最后|(?<!没)结果"
    r"|赔了|退休了|结婚了|离婚了|考上|搬走|搬家|走了以后|中风|嫁到|跑路|被(?:查|罚|举报)"
    r"|好几[万千百]|高兴得|能干|[天][天]视频",
), least=2, weight=2.5, not_with_plea=True, unless=quick(re.compile(
    # The writer's own home touched, the writer afraid, or what all share taken: a trouble
    # of theirs, told to be dealt with…
    r"我家|我们家|俺家|咱家|[我俺](?:妈|爸)家|担心|怕|受不了|不敢|快来|报警|管管|管一管|怎么办"
    r"|吵得|吵死|睡不着|影响|投诉|没人管|有意见|公共"
    r"|[我俺](?:爷爷|奶奶|姥姥|外婆)家|找人|评评理|"
    # …or a household in want.
    + _WANT)))

FAMILY = Shape("chat", compiled(
    # One of the writer's own family…
    r"[我俺]们?家?老?(?:儿子|闺女|女儿|爸|妈|老公|老婆|婆婆|公公|孙子|孙女|外孙|老伴|孩子|娃|老大|老二|宝宝|那位|那个|太太|头子|那口子)"
    r"|孙子|孙女|外孙女?|儿媳|女婿|小宝|二胎|孩子他爸|老伴",
    # …and an everyday or happy event of theirs: 学会了, 考过了, 过生日, 长牙, 退休后.
    r"学会|会叫|会走|考上|考了|考过|出生|过生日|生日|结婚|退休(?!金)|上幼儿园|第一天|长牙|开心|高兴"
    r"|激动|热闹|迷上|长大|奖励|可爱|乐坏|比我还|哈哈|好玩|非要|非说|吵着要|天天[^，,。\s]{0,4}(?:跳|下棋|钓鱼|玩)",
), least=2, weight=2.5, not_with_plea=True, unless=quick(re.compile(
    # A want the household cannot meet, a hand asked for (能帮她弄一下吗) or a question
    # about a rule (退休后医保还要不要交) is no family news.
    r"不管|要不要|多少|怎么|咋|能(?:帮|陪|教)|" + _WANT)))

PEERS = Shape("ask", compiled(
    # Put to the other mothers or sisters of the group (各位宝妈, 姐妹们)…
    r"各位(?:宝妈|姐妹|妈妈)|(?:宝妈|姐妹|妈妈)们",
    # …asking for their way with it: 怎么办, 有什么好办法, 求推荐.
    r"怎么办|咋办|(?:好|啥|什么)办法|推荐|经验|求助",
), least=2, weight=3.0)
"""Advice asked of peers: its 怎么办 and 求助 are put to them, so the plea words inside it
plead for nothing (``nlu.talk.with_talk``)."""

PAID = Shape("trade", compiled(
    # Asked of whichever neighbour can (有没有懂电脑的, 谁会修)…
    r"有没有(?:人)?(?:会|懂)|哪位(?:会|懂)|谁(?:会|懂)",
    # …for a reward (请你吃饭, 付费也行, 有偿): a small job among neighbours, not the
    # community's.
    r"请你(?:吃饭|喝|吃)|付费|有偿|酬谢|红包|给钱|跑腿费",
), least=2, weight=3.0)

COMPARE = Shape("ask", compiled(
    # A trouble put to the neighbours as a question about their own (大家家里也这样吗, 你们
    # 家能上吗, 是不是大家都这样, 你们有没有遇到过, 别的小区也这样吗): commiseration, not a
    # report. Unlike a question to the neighbours it does not yield to the trouble it names.
    r"(?:大家|你们|各位)(?:家里?|那边)?(?:也|都)(?:这样|是这样|一样|有|停|断|遇到)"
    r"|是不是(?:大家|就我|只有我)|还是(?:就|只有)我|(?:大家|你们)有没有(?:遇到|碰到)"
    r"|你们(?:家|那边)[^，,。？?\s]{0,6}(?:吗|没|不)(?=[\s?？!！。，,~～]|$)|别的小区也"
    r"|(?:你们|大家)(?:家)?(?:多少|用(?:什么|啥)|怎么弄|来电了|能上)",
), least=1, weight=3.5, not_with_plea=True, unless=quick(re.compile(
    # What the trouble does to the household now (老人还等着做饭, 一滴水都没有): a report
    # that asks the neighbours on the way.
    r"等着|着急|急死|一滴|没法(?:做饭|洗|用|睡)")))

_BUT = quick(re.compile(r"另外|顺便|但是?|可是|不过|还有个?事|说个事|想反映|反映一?下"
                        r"|麻烦|请(?!大家)|求|能不能|希望|怎么办|又"))
"""A need stated beside the talk (另外, 但是, 麻烦, 请…): it speaks for itself."""

PRAISE = Shape("thanks", compiled(
    # Thanks or praise (感谢, 给…点赞, 表扬一下)…
    r"感谢|谢谢|多谢|点个?赞|表扬|夸一?夸|感恩",
    # …of someone named: a volunteer, a worker, a neighbour (陈阿姨, 小王, 保洁阿姨, 楼长)…
    rf"{_SURNAME}{_KIN}|{_SURNAME}(?:医生|老师|书记|主任|师傅)|小{_SURNAME}|老{_SURNAME}"
    r"|志愿者|网格员|保洁|保安|楼长|物业的?[^，,。\s]{0,2}(?:师傅|小哥|经理)|阿姨|师傅|大姐|邻居",
    # …for how they are or what they keep doing (上心, 每次都, 比亲闺女还…, 现在一点味道都没有).
    r"上心|热心|暖心|贴心|好人|负责|仔细|耐心|认真|辛苦|真好|给力|比[^，,。\s]{1,5}还|每次都|一直都?"
    r"|天天|一分钱没要|不收钱|没要钱|现在[^，,。\s]{0,8}(?:没有|没了|干干净净|好多了)",
), least=2, core=1, weight=2.5, not_with_plea=True, unless=_BUT)
"""Praise of someone who helped (感谢社区的陈阿姨 每次都记得给我妈送药): told, not asked. A
need after it (另外…, 但是…, 麻烦…) cancels it."""

OFFER = Shape("notice", compiled(
    # What the writer can do (我会修电脑, 我是护士, 我家有三轮车, 我在医院上班)…
    r"^(?:我|本人)(?:家)?(?:有|是|会|懂|在[^，,。\s]{1,6}(?:上班|工作))|我会|本人",
    # …put at the others' call: 可以找我, 有不懂的问我, 需要的话说一声.
    r"(?:可以|可|就|尽管|随时)(?:来)?(?:找我|问我|喊我|叫我|联系我|私我)"
    r"|的话?(?:说一声|吱一声|喊一声|招呼一声|喊我)",
), least=2, weight=2.5, not_with_plea=True, whole=True, unless=_BUT)
"""An offer of one's own help to the neighbours: told, not asked, all of it (what it offers
help with, 有不懂的, is no trouble of the writer's)."""

EXCUSED = Shape("chat", compiled(
    # A nuisance excused by the one it bothers (不过小孩子嘛 正常, 能理解): borne, not reported.
    r"(?:不过|毕竟|但)[^，,。]{0,8}(?:嘛|正常|能理解)|(?:很|挺|也)?正常(?:的|嘛)?$|能理解|可以理解"
    r"|比(?:他|她|孩子|娃)还(?:难受|着急|紧张|急)",
), least=1, weight=2.5, not_with_plea=True,
    unless=quick(re.compile(r"请|求|麻烦|能不能|希望|受不了")))
