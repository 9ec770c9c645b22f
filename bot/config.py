"""Reading the settings for the command line: each mistake becomes one line naming the
``WHISTLE_*`` variable, never a traceback.

Two kinds of mistake are caught here. A value pydantic refuses (``abc`` for a number, an hour
of 25, a malformed EncodingAESKey) is translated from its ``ValidationError``; a channel set
up only in part (a WeChat token without the app id and secret) is found by ``channel_problems``
so that ``whistle run`` and ``whistle check`` refuse it instead of quietly starting the console.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, get_args

import annotated_types
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from pydantic_settings import SettingsError

from bot.settings import Settings

SECRET_WORDS = ("token", "secret", "aes_key", "robots", "database_url")
"""Fields whose value is never echoed back: credentials, and URLs that may hold one."""


class ConfigError(Exception):
    """The configuration cannot work; ``lines`` says why, one line per mistake.

    Args:
        lines: One self-contained line each, naming the variable.
    """

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class ChannelVariables:
    """The variables of one channel and how they depend on each other.

    Attributes:
        name: The channel's name (``telegram``, ``wechat``, ``wecom``).
        turn_on: Set together, they start the channel.
        extras: Meaningful only with the channel on; one set alone is a half-done set-up.
        pairs: ``(a, b)``: when ``a`` is set, ``b`` is needed too.
    """

    name: str
    turn_on: tuple[str, ...]
    extras: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()


CHANNELS = (
    ChannelVariables("telegram", ("telegram_token",),
                     ("telegram_webhook_url", "telegram_secret_token"),
                     (("telegram_webhook_url", "telegram_secret_token"),)),
    ChannelVariables("wechat", ("wechat_token", "wechat_app_id", "wechat_app_secret"),
                     ("wechat_aes_key", "wechat_template_id")),
    ChannelVariables("wecom", ("wecom_corp_id", "wecom_agent_id", "wecom_secret",
                               "wecom_token", "wecom_aes_key"), ("wecom_robots",)),
)


def env_name(field: str) -> str:
    """The environment variable behind a settings field."""
    return f"WHISTLE_{field.upper()}"


def load_settings() -> Settings:
    """Read the settings once, as every command does.

    Raises:
        ConfigError: A value is refused.
    """
    try:
        return Settings()
    except ValidationError as error:
        raise ConfigError(validation_lines(error)) from None
    except SettingsError as error:  # a JSON value (a list, a dict) that does not parse
        raise ConfigError([_unparsable_line(error)]) from None


def require_whole_channels(settings: Settings) -> None:
    """Refuse a channel configured only in part, before ``whistle run`` starts anything.

    Only the commands that start channels ask this: ``whistle wecom appchat`` needs just the
    corp id and secret, before the app's callback is set up.

    Raises:
        ConfigError: One line per channel that is missing variables.
    """
    problems = channel_problems(settings)
    if problems:
        raise ConfigError(problems)


def channels_on(settings: Settings) -> list[str]:
    """The channels whose variables are all set, in start-up order."""
    return [channel.name for channel in CHANNELS
            if all(_is_set(settings, field) for field in channel.turn_on)]


def channels_mentioned(settings: Settings) -> bool:
    """Whether any channel variable is set: then the database belongs to a real channel."""
    return any(_is_set(settings, field) for channel in CHANNELS
               for field in (*channel.turn_on, *channel.extras))


def channel_problems(settings: Settings) -> list[str]:
    """One line per channel that is configured only in part, naming what is missing."""
    problems = []
    for channel in CHANNELS:
        given = [f for f in (*channel.turn_on, *channel.extras) if _is_set(settings, f)]
        unpaired = [(a, b) for a, b in channel.pairs
                    if _is_set(settings, a) and not _is_set(settings, b)]
        missing = [f for f in channel.turn_on if not _is_set(settings, f)]
        if missing:
            missing += [b for _, b in unpaired if b not in missing]
        else:  # the channel is on: only a pair's missing half is wrong; name its cause
            given, missing = [a for a, _ in unpaired], [b for _, b in unpaired]
        if given and missing:
            problems.append(f"{_names(given)} {_is_are(given)} set but "
                            f"{_names(missing)} {_is_are(missing)} missing")
    return problems


def validation_lines(error: ValidationError) -> list[str]:
    """One line per variable pydantic refused (its first complaint), in field order."""
    lines: dict[str, str] = {}
    for detail in error.errors():
        field = str(detail["loc"][0]) if detail["loc"] else ""
        if field not in lines:
            lines[field] = f"{env_name(field)}: {_describe(field, detail)}"
    return list(lines.values())


def _describe(field: str, detail: ErrorDetails) -> str:
    """What is wrong with ``field``, in words an operator can act on."""
    kind = detail["type"]
    if kind == "float_parsing":
        said = "needs a number"
    elif kind in {"int_parsing", "int_from_float", "int_type"}:
        said = "needs a whole number"
    elif kind == "bool_parsing":
        said = "needs true or false"
    elif kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        said = f"must be {_bounds(field)}"
    elif kind in {"too_short", "too_long"} or (kind == "missing" and len(detail["loc"]) > 1):
        said = f"needs {len(get_args(Settings.model_fields[field].annotation))} values"
    elif kind == "dict_type":
        said = "needs a JSON object"
    elif kind == "value_error":
        said = str(detail.get("ctx", {}).get("error", detail["msg"])).removeprefix(f"{field} ")
    else:
        said = detail["msg"][:1].lower() + detail["msg"][1:]
    if any(word in field for word in SECRET_WORDS):
        return said
    return f"{said} (got {_shown(detail['input'])})"


def _bounds(field: str) -> str:
    """A field's limits as words: ``from 0 to 23``, ``more than 0``, ``at least 1``."""
    limits = {type(m).__name__: getattr(m, type(m).__name__.lower())
              for m in Settings.model_fields[field].metadata
              if isinstance(m, annotated_types.Gt | annotated_types.Ge | annotated_types.Lt
                            | annotated_types.Le)}
    if "Ge" in limits and "Le" in limits:
        return f"from {limits['Ge']} to {limits['Le']}"
    words = {"Gt": "more than", "Ge": "at least", "Lt": "less than", "Le": "at most"}
    return " and ".join(f"{words[kind]} {value}" for kind, value in limits.items())


def _unparsable_line(error: SettingsError) -> str:
    found = re.search(r'field "(\w+)"', str(error))
    if found is None:
        return f"WHISTLE_*: {error}"
    return f"{env_name(found.group(1))}: is not valid JSON ({error.__cause__})"


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _is_set(settings: Settings, field: str) -> bool:
    # Empty strings, 0 (WeCom's agent id) and {} (no robots) are the "not set" defaults.
    return bool(getattr(settings, field))


def _names(fields: list[str]) -> str:
    return ", ".join(env_name(field) for field in fields)


def _is_are(fields: list[str]) -> str:
    return "is" if len(fields) == 1 else "are"
