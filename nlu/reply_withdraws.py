"""A resident calling off their own need (不用来了, 我的求助取消一下, 我老伴给修好了): the reply's
withdraw intent, read by shape where the phrases of nlu/data/replies.tsv do not reach."""

from __future__ import annotations

import re

from nlu.reply_shapes import CARRY, WORK, is_done, starts_grouped

# No one need come or care (别来了, 不需要上门了, 甭派人了, 那个事不用管了, 不用帮我买了,
# 暂时不用了) or the need itself is cancelled (我的求助取消一下, 麻烦撤一下我的需求); a
# volunteer's 取消报名, or the order they took cancelled (我接的单子取消), is a decline.
_NO_ONE_NEED_COME = (r"^(?:[^不没]{1,4}的)?(?:那个?|这个?)?(?:事|事情|问题)?"
                     r"(?:那就?|就)?(?:先|暂时)?"
                     r"(?:别|不要|甭|不必|无需|不需要|不用)再?"
                     r"(?:来|过来|上门|派人|跑(?:一趟|了)|麻烦|管|操心|帮我|给我|替我)")
# The sender sees to it alone (我自己去办了, 我们自己能搞).
_ON_ONES_OWN = rf"^(?:我|俺)们?自己(?:去|来|能|会)?(?:{WORK}|解决|搞定)(?:了|吧)?$"
_WITHDRAW = re.compile(starts_grouped(
    rf"{_NO_ONE_NEED_COME}|{_ON_ONES_OWN}|^(?:那就?)?(?:先|暂时|现在|目前)?(?:不用|不需要|用不着)了$|"
    r"(?:求助|需求|单子|工单|报修)[^我报]{0,4}(?:取消|撤销|撤回|撤了|作废|关了|关闭)|"
    r"(?:取消|撤销|撤回|撤)(?:一下)?(?:我的|这个|那个)?(?:求助|需求|单子|工单|报修)"))
# The work done by the sender's own side (我老伴给修好了, 我们自己处理了, 孩子回来弄好了): the need
# is gone, not this call's work done. A relative does it (给, 帮, 回来); 孩子接回家了 is the
# relative brought home.
_OWN_SIDE = re.compile(r"^(?:我们?|俺们?|我家|咱家)?(?:自己|(?:老伴儿?|老公|老婆|媳妇|爱人|"
                       r"儿子|女儿|闺女|孩子|孙子|孙女|外孙女?|家里人)"
                       r"[^不没]{0,3}?(?:给|帮我?|回来|过来))")
# What the relative brought (我闺女给买了, 儿子送来了).
_BROUGHT = re.compile(rf"{CARRY}(?:来|回来)?了")


def withdraws(clause: str) -> bool:
    """Whether a clause calls off the sender's own need (不需要上门了, 求助取消一下, 我老伴给修好
    了)."""
    if "接的" in clause:
        return False
    if _WITHDRAW.search(clause) is not None:
        return True
    own = _OWN_SIDE.match(clause)
    rest = clause[own.end():] if own else ""
    return bool(rest) and (is_done(rest) or _BROUGHT.fullmatch(rest) is not None)
