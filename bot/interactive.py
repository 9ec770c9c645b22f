"""The interactive console loop."""

from __future__ import annotations

from datetime import datetime

from bot.channels.console import ConsoleChannel, incoming_from_json, parse_typed, render

GREETING = """Whistle 控制台。以某人的身份说话：
  @张阿姨 3栋楼道灯坏了          居民私聊
  @张阿姨 #楼栋群 3栋楼道灯坏了   在群里说
  @admin /pending                管理员（演示社区的管理员是 admin）
  @m1 我来   @m1 !press accept:1   @m1 !loc 31.23,121.47   @m1 !photo a.jpg
  !clock 2026-11-26T09:00+08:00   拨动时钟      !jobs   运行到点的定时任务（提醒、督办、积分…）
空行或 Ctrl-D 退出。"""


def interact(channel: ConsoleChannel, seeded: bool) -> None:
    """Read typed lines until end of input, printing what each person receives."""
    print(GREETING)
    if seeded:
        print("（已创建演示社区：幸福里社区，党员 m1…m6）")
    while True:
        try:
            line = input("> ").strip()
        except EOFError:
            return
        if not line:
            return
        if line.startswith("!"):
            _operator(channel, line)
            continue
        message = parse_typed(line)
        if message is None:
            print("请以 @用户名 开头，例如 @张阿姨 3栋楼道灯坏了")
            continue
        try:
            incoming = incoming_from_json(message)
        except ValueError as error:
            print(f"这一行没看懂（{error}）。例如：@张阿姨 3栋楼道灯坏了、@m1 !loc 31.23,121.47")
            continue
        for sent in channel.push(incoming):
            print(render(sent))


def _operator(channel: ConsoleChannel, line: str) -> None:
    """``!clock ISO`` moves the bot's clock; ``!jobs`` runs the sweeps due at it."""
    word, _, argument = line.partition(" ")
    if word == "!jobs":
        sent = channel.run_jobs()
        for message in sent:
            print(render(message))
        if not sent:
            print("（没有到点的任务）")
    elif word == "!clock":
        try:
            channel.clock.set(datetime.fromisoformat(argument.strip()))
        except ValueError:
            print("时间格式例如：!clock 2026-11-26T09:00+08:00")
            return
        print(f"（时钟：{channel.clock.now().isoformat()}）")
    else:
        print("可用：!clock 时间、!jobs")
