"""WeCom group broadcasts: app group chats (群聊会话) and group robots (群机器人).

Both are bound to a community as ``GroupChat`` rows of channel ``wecom``, so a whistle
reaches them like any bound group: an app group chat by its chat id, a robot as
``robot:<community>``.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import select
from wechatpy.enterprise import WeChatClient

from bot.channels.wechat_common import RATE_LIMITED, call, split_text
from bot.outbox import DeliveryError
from storage.db import transaction
from storage.models import Community, GroupChat, stored_id

CHANNEL = "wecom"
ROBOT = "robot:"
"""The ``GroupChat.chat_id`` prefix of a community's group robot: ``robot:幸福里社区``."""
ROBOT_PER_MINUTE = 20


class GroupRobots:
    """Send-only group robot webhooks by community, each paced to 20 messages a minute.

    Args:
        urls: Webhook URL by community name.
        monotonic: The clock pacing is measured on (tests move it).
    """

    def __init__(self, urls: dict[str, str],
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.urls = dict(urls)
        self._monotonic = monotonic
        self._sent: dict[str, deque[float]] = defaultdict(deque)

    def communities(self) -> list[str]:
        """The communities that have a robot."""
        return list(self.urls)

    async def send(self, community: str, text: str) -> None:
        """Post ``text``, split at line ends into pieces of at most 2,048 bytes.

        Raises:
            DeliveryError: No robot for the community (permanent), or the minute's 20
                messages are used up or the robot is rate limited (retried later).
        """
        url = self.urls.get(community)
        if url is None:
            raise DeliveryError(f"no group robot configured for {community}", permanent=True)
        pieces = split_text(text)
        sent, now = self._sent[url], self._monotonic()
        while sent and now - sent[0] >= 60:
            sent.popleft()
        if len(sent) + len(pieces) > ROBOT_PER_MINUTE:
            raise DeliveryError("group robot: 20 messages a minute; retried later")
        async with httpx.AsyncClient(timeout=10) as http:
            for piece in pieces:
                answer = (await http.post(url, json={"msgtype": "text",
                                                     "text": {"content": piece}})).json()
                sent.append(now)
                if answer.get("errcode"):
                    raise DeliveryError(f"group robot answered {answer}",
                                        permanent=answer["errcode"] != RATE_LIMITED)


def bind_robots(engine: Engine, communities: list[str]) -> None:
    """Bind ``robot:<community>`` group chats for the communities that exist."""
    with transaction(engine) as session:
        for name in communities:
            community = session.exec(select(Community).where(Community.name == name)).first()
            bound = session.exec(select(GroupChat).where(
                GroupChat.channel == CHANNEL, GroupChat.chat_id == f"{ROBOT}{name}")).first()
            if community is not None and bound is None:
                session.add(GroupChat(channel=CHANNEL, chat_id=f"{ROBOT}{name}",
                                      community_id=stored_id(community)))


async def create_appchat(engine: Engine, client: WeChatClient, community: str,
                         users: list[str]) -> str:
    """Create an app group chat with ``users`` (the first owns it) and bind it to the
    community; returns its chat id.

    Raises:
        ValueError: No such community, or fewer than two users (WeCom's minimum).
    """
    if len(users) < 2:
        raise ValueError("an app group chat needs at least two users")
    with transaction(engine) as session:
        found = session.exec(select(Community).where(Community.name == community)).first()
        if found is None:
            raise ValueError(f"no community named {community}")
        community_id = stored_id(found)
    answer = await call(client, client.appchat.create, name=community, owner=users[0],
                        user_list=users)
    chat_id = str(answer["chatid"])
    with transaction(engine) as session:
        session.add(GroupChat(channel=CHANNEL, chat_id=chat_id, community_id=community_id))
    return chat_id
