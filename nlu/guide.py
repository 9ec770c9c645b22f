"""Questions about the bot itself (怎么用, 有什么功能, 菜单): they want the guide, not an order.

Only a message that is nothing but such a question counts. "怎么弄" alone asks how the bot
works; "水管坏了怎么弄" is a need that happens to end in a question, and stays one.
"""

from __future__ import annotations

import re

from nlu.lexicon import normalise
from nlu.screen import COMMON, needs

# Greetings and ways of addressing the bot that may come before the question.
_BOT = r"(?:小助手|助手|机器人|小哨|吹哨|小程序|这玩意儿?|这东西|这个东西|它)"
_OPENING = (rf"(?:请问|你好|您好|哈喽|嗨|hi|hello|在吗|在不在|{_BOT}|"
            r"我想问下|我想问一下|我想问问|想问下|想问一下|想问问|问下|问一下|问问|请教下|请教一下|请教|"
            r"这个群|群里|这个|这|那个|那|你|您|大家|我|我们|要|该|应该|到底|我不会|不会)*")
_HOW = r"(?:怎么|咋个?|如何|怎样|怎么样|咋样)"
_USE = r"(?:用|弄|使用|操作|玩|搞|用法|使|整)"
_MINE = (r"(?:我的|自己的|我(?:提交|发|报|提)的)?(?:事|事情|问题|单子)?的?"
         r"(?:积分|订单|工单|记录|进度|诉求|排名)")
# Where the bot is used, named in the middle of the question (怎么在这个机器人里面查积分).
_VIA = rf"(?:(?:在|用|通过)(?:这个|这里|这儿)?{_BOT}?(?:里面|里头|里|上)?)?"
_QUESTION = (
    rf"{_HOW}{_USE}",
    rf"{_HOW}{_VIA}(?:提交|提|报|发|求助|找你|找志愿者|报名|注册|报到|登记)(?:诉求|需求|问题|事|事情)?",
    # …through the bot, named: 怎么用这个机器人发诉求.
    rf"{_HOW}(?:使用|用|在|通过)(?:这个|这里|这儿)?{_BOT}?(?:来)?(?:提交|提|报|发|求助|反映|找)(?:诉求|需求|问题|志愿者|事|事情)?",
    # Whether anyone knows how to use it (有人会用这个群里的机器人报修吗).
    rf"(?:有人|有没有人|谁)会用(?:这个)?(?:群里的)?{_BOT}(?:报修|报事|提交|发诉求|提诉求)?(?:吗|么|不)?",
    # How a need is put to it: in words, by voice, with a photo (发文字就行吗, 能发语音不).
    r"(?:能|可以)?(?:发|打|用|说)(?:文字|字|语音|图片|照片|视频)(?:就)?(?:行|可以|能|管用)?(?:吗|么|不|嘛)?",
    # Whether it can be called on in the group (这个群能不能@机器人).
    rf"(?:能不能|能|可以|可不可以)(?:艾特|at)?{_BOT}(?:吗|么|不)?",
    # Whether this is where a need goes (报修是发给你吗).
    r"(?:报修|报事|反映问题|求助)(?:是)?(?:发给|找|发)(?:你|这里|这儿|它)(?:吗|么|嘛)?",
    rf"{_HOW}{_VIA}(?:查|看|查看|找)(?:到|一下)?{_MINE}",
    rf"{_HOW}(?:不理|不回|没反应|不说话)(?:我|人)?",
    # What was sent to it met silence (刚才发的诉求没人回, 我发的怎么没人接单): a question
    # about how the bot works, not a second need.
    rf"(?:刚才|刚刚|之前|昨天)?(?:我)?(?:发|提交|报|提)[的了](?:诉求|消息|事情?|单子|问题)?{_HOW}?"
    r"(?:还)?(?:没人|没有人|没)(?:回|理|接单|回复|反应)(?:我)?",
    r"(?:有|都有|能|可以|会)(?:什么|啥|哪些)(?:功能|用|用处|服务)",
    r"都?(?:能|可以|会)(?:帮)?(?:我|我们|大家)?(?:做|干|办)(?:什么|啥|些什么|点什么|点啥)",
    r"(?:能|可以|会)帮(?:我|我们|大家)?(?:什么|啥|些什么|我什么|我啥)",
    r"是(?:干|做)(?:什么|啥|嘛)的",
    r"不会(?:用|弄|操作|玩)(?:这个)?",
    # What the bot is for (是不是只能报修, 别的事能问吗).
    r"(?:是不是|是否)?只能(?:报修|报事|反映问题|提诉求|[\u4e00-\u9fff]{2})(?:吗|么)?",
    r"(?:别的|其他|其它)(?:事|事情|问题)?(?:也)?(?:能|可以)(?:问|说|报|找|管|办)(?:吗|不|么)?",
    r"(?:功能|帮助|菜单|指南|教程|使用说明|用法|使用方法|操作说明|help|menu)",
)
# Asking someone to show how, after the question (不会用 谁教一下, 我也不会).
_CLOSING = (r"(?:的|呀|啊|呢|吧|哦|啦|嘛|呐|了|你|的呀|的啊|的呢|这个"
            r"|谁教一下|谁教教我|教教我|教一下|我也不会|也不会|点哪里|点哪"
            # …or whether it is broken, or who cannot use it (是不是坏了, 老人不会).
            r"|是不是坏了|坏了吗|(?:老人|我妈|我爸|老年人)(?:也)?不会(?:用)?)*")
# One question, or two in a row (这咋整啊 不会用).
_ONE = rf"(?:{'|'.join(_QUESTION)}){_CLOSING}"
_GUIDE = re.compile(rf"^{_OPENING}{_ONE}(?:{_OPENING}{_ONE})?$")
# Whether the bot, named, can do something (小哨能帮我交电费不): a question about the bot.
_CAN_IT = re.compile(rf"^{_OPENING}(?:小助手|机器人|小哨)(?:能|会|可以)(?:不能)?(?:帮我|帮)?"
                     r"[\u4e00-\u9fff]{1,8}(?:吗|不|么|没)$")
# Punctuation, spaces and emoji carry no meaning here.
_NOISE = re.compile(r"[\s,，.。!！?？~～、…:：;；\"'“”‘’()（）\[\]【】@]+"
                    r"|[\U0001F000-\U0001FFFF\u2600-\u27BF]")
# A question about the bot is short; anything longer says more than "how does this work".
MAX_GUIDE_CHARS = 20


def _telling_chars() -> re.Pattern[str] | None:
    """A class of characters one of which every question about the bot holds: of each string
    one of which a match must contain (``nlu.screen.needs``), its first character not among
    the commonest. Taking out the noise never adds a character, so a text holding none of
    them is no such question. None when the strings are not worked out."""
    found = [needs(pattern) for pattern in (_GUIDE, _CAN_IT)]
    if any(strings is None for strings in found):
        return None
    chars = {next((c for c in string if c not in COMMON), string[0])
             for strings in found for string in strings or ()}
    # A class searched in C, rather than a set the text's characters are made into strings for.
    return re.compile(f"[{''.join(map(re.escape, sorted(chars)))}]")


_TELLING = _telling_chars()


def asks_for_guide(text: str) -> bool:
    """Tell whether ``text`` only asks how to use the bot or what it can do.

    Args:
        text: A message as the user wrote it.

    Returns:
        True for 怎么用, 有什么功能, 帮助, 菜单 and the like, alone or with a greeting.
    """
    return reads_as_guide_question(normalise(text))


def reads_as_guide_question(normalised: str) -> bool:
    """``asks_for_guide`` of a text normalised already (``nlu.lexicon.normalise``)."""
    if _TELLING is not None and _TELLING.search(normalised) is None:
        return False  # most texts: no noise is taken out of them
    core = _NOISE.sub("", normalised)
    if not core or len(core) > MAX_GUIDE_CHARS:
        return False
    return _GUIDE.match(core) is not None or _CAN_IT.match(core) is not None
