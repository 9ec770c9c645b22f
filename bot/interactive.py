"""The interactive console loop."""

from __future__ import annotations

from bot.channels.console import ConsoleChannel, incoming_from_json, parse_typed, render

GREETING = """Whistle 控制台。以某人的身份说话：
  @张阿姨 3栋楼道灯坏了          居民私聊
  @张阿姨 #楼栋群 3栋楼道灯坏了   在群里说
  @admin /pending                管理员（演示社区的管理员是 admin）
  @m1 我来   @m1 !press accept:1   @m1 !loc 31.23,121.47   @m1 !photo a.jpg
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
