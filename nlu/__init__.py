"""Natural-language understanding for Whistle: pure functions, no I/O beyond package data.

- ``classify`` sorts a resident's message into one of the eight duties and tells a real need
  from group chatter (by cue words and by the shapes of talk in nlu/talk_shapes.py);
- ``asks_for_guide`` tells a question about the bot (怎么用) from a need;
- ``parse_reply`` reads accept / decline / done / star-rating replies;
- ``extract_*`` pull phone numbers, places, head-counts and times out of a request;
- ``mask`` hides personal data (phones, ID-card numbers, rooms): see nlu/personal.py.
"""

from nlu.classifier import classify
from nlu.extract import extract_capacity, extract_when, resolve_when
from nlu.guide import asks_for_guide
from nlu.model import DUTIES, Candidate, Classification, Reply
from nlu.personal import extract_phone, extract_place, mask, public_place
from nlu.replies import parse_reply

__all__ = [
    "DUTIES",
    "Candidate",
    "Classification",
    "Reply",
    "asks_for_guide",
    "classify",
    "extract_capacity",
    "extract_phone",
    "extract_place",
    "extract_when",
    "mask",
    "parse_reply",
    "public_place",
    "resolve_when",
]
