"""Log lines pass the privacy guard: no phone, ID-card number, room or query string.

Residents' phones reach the bot in messages and WeChat puts a user's openid in the query
string of every callback; neither may end up in a log file an operator mails around.
"""

from __future__ import annotations

import logging

from handlers.privacy import mask

ACCESS_LOGGER = "uvicorn.access"
_PATH_ARG = 2  # uvicorn's access line: client, method, path with query, version, status


class PrivacyFilter(logging.Filter):
    """Masks personal data in a record's message and traceback; drops query strings from
    the web server's access lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == ACCESS_LOGGER and isinstance(record.args, tuple) \
                and len(record.args) > _PATH_ARG:
            # uvicorn's access formatter unpacks the arguments: mask each, keep the tuple.
            args = [mask(arg) if isinstance(arg, str) else arg for arg in record.args]
            args[_PATH_ARG] = str(args[_PATH_ARG]).split("?", 1)[0]
            record.args = tuple(args)
            return True
        message = record.getMessage()
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        return True


def guard_handlers(*logger_names: str) -> None:
    """Put the filter on every handler of the named loggers (the root logger for "")."""
    for name in logger_names:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, PrivacyFilter) for f in handler.filters):
                handler.addFilter(PrivacyFilter())


def log_to_stderr() -> None:
    """What the running bot does, one line each; not every Bot API poll or sweep run."""
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for chatty in ("httpx", "apscheduler.executors.default"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    guard_handlers("")
