"""The catalogue of everything the bot says; a translation is another file, not a code change."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files

DEFAULT_LOCALE = "zh_CN"


@cache
def _catalogue(locale: str) -> dict[str, str]:
    raw = (files("handlers") / "locale" / f"{locale}.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


def t(key: str, locale: str = DEFAULT_LOCALE, **values: object) -> str:
    """The text for ``key``, with ``{name}`` placeholders filled from ``values``.

    Raises:
        KeyError: The catalogue has no such key (a bug: every key the code uses must exist).
    """
    return _catalogue(locale)[key].format(**values)


def keys(locale: str = DEFAULT_LOCALE) -> set[str]:
    """Every key in a catalogue (for the tests that keep catalogues complete)."""
    return set(_catalogue(locale))
