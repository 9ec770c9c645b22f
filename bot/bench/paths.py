"""The timed paths of `whistle bench --scale`: classifier, inbound, and inbound under sweeps.

Residents' needs come from the city's residents (one per community, in turn), each written
privately and handled as a channel's hub hands it over: in bursts (group commit), and one by
one. While the sweeps run, a second thread sends such needs one at a time at a steady pace
and records how long each took from arrival to commit: on SQLite a sweep holding the write
lock shows up here.
"""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from bot.bench_inbound import NEEDS, timed_messages
from handlers.chat.process import process
from handlers.messages import Incoming
from handlers.rules.policy import Policy

PACE = 0.05  # seconds between two needs while the sweeps run


def classify_rates(texts: Sequence[str], repeat: int) -> tuple[float, float | None]:
    """Texts a second through ``nlu.classify``, and its time over ``jieba.lcut``'s on the
    same texts (None when jieba is not installed), as ``whistle bench`` measures them."""
    from nlu import classify
    from nlu.bench import versus_jieba

    compared = versus_jieba(texts, repeat)
    if compared is not None:
        return 1e6 / compared["classify_us"], compared["ratio"]
    for text in texts:  # the lexicon loads outside the timing
        classify(text)
    started = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            classify(text)
    return repeat * len(texts) / (time.perf_counter() - started), None


def need(serial: int, communities: int) -> Incoming:
    """A need from the resident of one community, written privately; no two alike."""
    c = serial % communities + 1
    building, room = serial % 12 + 1, 100 + serial % 997
    text = f"{NEEDS[serial % len(NEEDS)]}（{building}栋{room}室）"
    return Incoming(channel="console", chat_id=f"r{c}", user_id=f"r{c}", text=text,
                    display_name=f"居民{c}", message_id=f"city-{serial}")


def run_needs(engine: Engine, policy: Policy, now: datetime, serials: range,
              communities: int, burst: int = 1) -> tuple[float, int]:
    """Push the needs through the unit of work, ``burst`` a transaction (``bench_inbound``'s
    ``timed_messages``); seconds taken and SQL statements sent."""
    return timed_messages(engine, policy, [
        (need(serial, communities), now + timedelta(seconds=serial)) for serial in serials],
        burst)


class Background(threading.Thread):
    """Needs sent every ``PACE`` seconds until stopped; each one's milliseconds recorded."""

    def __init__(self, engine: Engine, policy: Policy, now: datetime, first: int,
                 communities: int) -> None:
        super().__init__(daemon=True)
        self.engine, self.policy, self.now = engine, policy, now
        self.serial, self.communities = first, communities
        self.latencies: list[float] = []
        self.started: list[float] = []  # perf_counter when each need came in
        self.failures = 0
        self.errors: list[str] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(PACE):
            started = time.perf_counter()
            try:
                process(self.engine, self.policy, need(self.serial, self.communities),
                        self.now + timedelta(seconds=self.serial))
            except Exception as error:  # noqa: BLE001  # a lost message is what this measures
                self.failures += 1
                self.errors.append(f"{type(error).__name__}: {error}"[:300])
            self.latencies.append(1000 * (time.perf_counter() - started))
            self.started.append(started)
            self.serial += 1

    def stop(self) -> None:
        """Stop after the need in hand and wait for it."""
        self._stop_event.set()
        self.join()


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which ``share`` of them fall (nearest rank); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@contextmanager
def inbound_meanwhile(engine: Engine, policy: Policy, now: datetime, first: int,
                      communities: int) -> Iterator[Background]:
    """Needs keep coming in while the block runs."""
    sender = Background(engine, policy, now, first, communities)
    sender.start()
    try:
        yield sender
    finally:
        sender.stop()


class Memory(threading.Thread):
    """The process's largest resident set while it watches, sampled every 50 ms."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_mb = rss_mb()
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.05):
            self.peak_mb = max(self.peak_mb, rss_mb())

    def __enter__(self) -> Memory:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop_event.set()
        self.join()
        self.peak_mb = max(self.peak_mb, rss_mb())


def rss_mb() -> float:
    """The process's resident set now, in MB (Linux's /proc; else its peak so far)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
