"""Natural-language understanding for Whistle: pure functions, no I/O beyond package data.

- ``classify`` sorts a resident's message into one of the eight duties and tells a real need
  from group chatter;
- ``parse_reply`` reads accept / decline / done / star-rating replies;
- ``extract_*`` pull phone numbers, places, head-counts and times out of a request.
"""

from nlu.classifier import classify
from nlu.extract import extract_capacity, extract_phone, extract_place, extract_when, resolve_when
from nlu.model import DUTIES, Candidate, Classification, Reply
from nlu.replies import parse_reply

__all__ = [
    "DUTIES",
    "Candidate",
    "Classification",
    "Reply",
    "classify",
    "extract_capacity",
    "extract_phone",
    "extract_place",
    "extract_when",
    "parse_reply",
    "resolve_when",
]
