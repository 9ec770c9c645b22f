"""Personal data is recognised in one place and never reaches a group, a report or a log."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from uvicorn.logging import AccessFormatter

from bot.logs import ACCESS_LOGGER, PrivacyFilter
from handlers.ledger.periods import parse_period
from handlers.reports.exporting import export_file
from handlers.reports.reports import KINDS
from handlers.reports.tables import Scope
from nlu import extract_phone, extract_place, mask
from nlu.personal import mobile_number, narrow
from storage.db import make_engine, transaction
from tests.chat import Chat

ZONE = "Asia/Shanghai"


@pytest.mark.parametrize(("written", "shown"), [
    pytest.param("电话13812345678", "电话138****5678", id="mobile"),
    pytest.param("电话 138 1234 5678", "电话 138****5678", id="mobile-spaces"),
    pytest.param("电话1381 234 5678", "电话138****5678", id="mobile-4-3-4"),
    pytest.param("138-1234-5678找我", "138****5678找我", id="mobile-dashes"),
    pytest.param("138.1234.5678", "138****5678", id="mobile-dots"),
    pytest.param("+86 138 1234 5678", "138****5678", id="mobile-plus86"),
    pytest.param("８６１３８１２３４５６７８", "138****5678", id="mobile-86-run-in"),
    pytest.param("电话：１３８１２３４５６７８谢谢", "电话：138****5678谢谢", id="full-width"),
    pytest.param("联系0755 12345678", "联系0755-****5678", id="landline-space"),
    pytest.param("座机(010)12345678", "座机010-****5678", id="landline-brackets"),
    pytest.param("021-1234-5678", "021-****5678", id="landline-dashes"),
    pytest.param("座机：12345678", "座机：****5678", id="local-after-word"),
    pytest.param("身份证110101199003071234", "身份证110***********1234", id="id-card"),
    pytest.param("身份证11010119900307123X号", "身份证110***********123X号", id="id-card-x"),
    pytest.param("3栋2单元502漏水", "3栋2单元***漏水", id="unit-room"),
    pytest.param("3栋2单元502楼道灯坏了", "3栋2单元***楼道灯坏了", id="room-then-stairwell"),
    pytest.param("3号楼2门502室", "3号楼2门***室", id="door-room"),
    pytest.param("3单元 402 室", "3单元 *** 室", id="spaced"),
    pytest.param("502室的老人", "***室的老人", id="room-alone"),
    pytest.param("住3-2-502", "住3-2-***", id="dashed"),
    pytest.param("B座1203", "B座***", id="tower-room"),
    pytest.param("门牌号：1203", "门牌号：***", id="door-number"),
])
def test_personal_data_is_masked_however_it_is_written(written: str, shown: str) -> None:
    assert mask(written) == shown


@pytest.mark.parametrize("ordinary", [
    "3栋楼道灯坏了", "5号楼门口堆了垃圾", "周六上午大扫除，需要20人", "11月30日下午3点",
    "2026-11-30 10:00", "工单 #12 已通过", "3栋2单元", "12幢3单元漏水", "家里3个人",
    "幸福里社区 1 号院", "5楼的电梯坏了",
])
def test_ordinary_numbers_are_left_alone(ordinary: str) -> None:
    assert mask(ordinary) == ordinary


@pytest.mark.parametrize(("written", "phone"), [
    ("电话1381 234 5678", "13812345678"),
    ("+86 138.1234.5678", "13812345678"),
    ("联系0755 12345678", "0755-12345678"),
    ("（０２１）１２３４５６７８", "021-12345678"),
])
def test_extraction_reads_every_form_masking_hides(written: str, phone: str) -> None:
    assert extract_phone(written) == phone
    assert re.sub(r"\D", "", phone) not in re.sub(r"\D", "", mask(written))


def test_a_registration_answer_is_a_mobile_in_any_form() -> None:
    answers = ["13800000009", "+86 138-0000-0009", "１３８０００００００９", "138 0000 0009"]
    assert [mobile_number(a) for a in answers] == ["13800000009"] * 4
    assert mobile_number("电话13800000009") is None


def test_the_address_keeps_its_room_for_the_members_who_accepted() -> None:
    assert extract_place("我家６栋１单元１０１室漏水") == "６栋１单元１０１室"


# ---- Property: however a phone or room is written, no group message shows it ----------

_SEPARATORS = st.sampled_from(["", " ", "-", ".", "  "])


@st.composite
def mobiles(draw: st.DrawFn) -> tuple[str, str]:
    """A mobile number as its 11 digits and as a person might type it."""
    digits = "1" + draw(st.sampled_from("3456789")) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=9, max_size=9)))
    sep = draw(_SEPARATORS)
    grouping = draw(st.sampled_from([(3, 4, 4), (4, 3, 4), (11,)]))
    parts, at = [], 0
    for size in grouping:
        parts.append(digits[at:at + size])
        at += size
    written = sep.join(parts)
    written = draw(st.sampled_from(["", "+86 ", "+86", "86-", "0086 "])) + written
    if draw(st.booleans()):
        written = written.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    return digits, written


@st.composite
def landlines(draw: st.DrawFn) -> tuple[str, str]:
    """A landline's local digits and the number as written with its area code."""
    area = "0" + draw(st.sampled_from(["10", "21", "755", "371", "20"]))
    local = draw(st.sampled_from("2345678")) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=7, max_size=7)))
    form = draw(st.sampled_from(["{a}-{l}", "{a} {l}", "({a}){l}", "{a}-{h}-{t}", "{a}{l}"]))
    return local, form.format(a=area, l=local, h=local[:4], t=local[4:])


@st.composite
def rooms(draw: st.DrawFn) -> tuple[str, str]:
    """A room number and an address that names it."""
    room = str(draw(st.integers(101, 2999)))
    building = draw(st.integers(1, 30))
    unit = draw(st.integers(1, 6))
    form = draw(st.sampled_from([
        "{b}栋{u}单元{r}", "{b}号楼{u}单元{r}室", "{b}幢{u}门{r}", "{b}-{u}-{r}", "{r}室",
        "{b}栋{u}单元 {r} 室", "{b}号楼{r}室",
    ]))
    return room, form.format(b=building, u=unit, r=room)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", narrow(text))


def _shows_room(room: str, text: str) -> bool:
    return re.search(rf"(?<!\d){room}(?!\d)", narrow(text)) is not None


def _apart(room: str, *numbers: str) -> bool:
    """Whether a room number differs from what masking leaves of a phone (138****5678)."""
    return all(room not in (number[:3], number[-4:]) for number in numbers)


@given(mobile=mobiles(), landline=landlines(), room=rooms())
def test_masked_text_never_shows_a_generated_number(mobile, landline, room) -> None:
    assume(_apart(room[0], mobile[0], landline[0]))
    written = f"{room[1]}的灯坏了，电话{mobile[1]}，或者打座机{landline[1]}"
    shown = mask(written)
    assert (mobile[0] in _digits(shown), landline[0] in _digits(shown),
            _shows_room(room[0], shown)) == (False, False, False)


@pytest.fixture(scope="module")
def group_chat(tmp_path_factory: pytest.TempPathFactory) -> Chat:
    """One chat for many generated needs: its clock moves past the duplicate window each
    time, so every need becomes an order of its own."""
    from bot.settings import Settings
    from storage.migrate import upgrade
    from tests.conftest import START

    folder = tmp_path_factory.mktemp("privacy")
    engine = make_engine(f"sqlite:///{folder / 'whistle.db'}")
    upgrade(engine)
    chat = Chat.with_demo(engine, Settings(_env_file=None, media_dir=str(folder)), START)
    chat.say("admin", "/bind 幸福里社区", group="g1")
    return chat


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mobile=mobiles(), room=rooms(), by_admin=st.booleans())
def test_no_group_message_shows_a_phone_or_room(group_chat: Chat, mobile, room,
                                                by_admin: bool) -> None:
    assume(_apart(room[0], mobile[0]))
    chat = group_chat
    chat.advance(days=5)
    if by_admin:  # the admin's own /whistle text passes the same guard
        sent = chat.say("admin", f"/whistle 扶贫济困 1 明天上午 给{room[1]}刘奶奶送棉被，"
                                 f"家属电话{mobile[1]}", group="g1")
    else:
        filed = chat.say("zhang", f"{room[1]}家里水管爆了，麻烦社区派人来修，电话{mobile[1]}",
                         group="g1")
        number = re.search(r"#(\d+)", filed.in_group("g1")[0]).group(1)
        sent = chat.say("admin", f"/approve {number} convenience")
        filed.messages.extend(sent.messages)
        sent = filed
    group_text = " ".join(m.text for m in sent.messages if m.to_chat is not None)
    assert group_text
    assert (mobile[0] in _digits(group_text), _shows_room(room[0], group_text)) \
        == (False, False)


# ---- The cases people found, end to end ------------------------------------------------

def test_a_spaced_phone_in_a_group_need_is_masked_in_the_whistle(chat: Chat) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")
    chat.say("zhang", "3栋楼道的灯坏了，麻烦来修一下，电话1381 234 5678", group="g1")
    whistle = chat.say("admin", "/approve 1 convenience").in_group("g1")[0]
    assert ("1381 234 5678" in whistle, "138****5678" in whistle) == (False, True)
    assert "13812345678" in chat.press("m1", "accept:1").to("m1")[0]


def test_a_landline_in_a_group_need_is_masked(chat: Chat) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")
    chat.say("zhang", "3栋楼道的灯坏了，麻烦来修一下，联系0755 12345678", group="g1")
    whistle = chat.say("admin", "/approve 1 convenience").in_group("g1")[0]
    assert ("12345678" in _digits(whistle), "0755-****5678" in whistle) == (False, True)


def test_an_admins_whistle_shows_the_building_not_the_room(chat: Chat) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")
    sent = chat.say("admin", "/whistle 扶贫济困 1 明天上午 给6栋1单元101刘奶奶送一床棉被",
                    group="g1")
    (whistle,) = [m for m in sent.in_group("g1") if "【吹哨】" in m]
    assert ("6栋1单元101" in whistle, "6栋1单元***" in whistle, "地点：6栋" in whistle) \
        == (False, True, True)
    assert "6栋1单元101" in chat.press("m2", "accept:1").to("m2")[0]


def test_reports_mask_residents_but_the_roster_keeps_members_phones(
        chat: Chat, tmp_path: Path) -> None:
    chat.say("zhang", "6栋1单元101家里水管爆了，急需维修，电话13912345678")
    chat.say("admin", "/approve 1 convenience")
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.say("m1", "/done 1")
    cells = {}
    with transaction(chat.engine) as session:
        for kind in KINDS:
            path = tmp_path / f"{kind}.csv"
            report = export_file(session, chat.channel.policy, kind,
                                 Scope(parse_period("2026Q4"), ZONE), "csv", path)
            cells[kind] = [cell for row in report.rows for cell in row]
    everything = " ".join(str(c) for kind in KINDS for c in cells[kind])
    assert ("13912345678" in everything, _shows_room("101", everything)) == (False, False)
    assert "13800000001" in cells["roster"]


def test_log_lines_are_masked_and_lose_their_query_strings() -> None:
    record = logging.LogRecord("bot", logging.ERROR, __file__, 1, "resident %s wrote %s",
                               ("zhang", "电话13912345678，6栋1单元101"), None)
    access = logging.LogRecord(
        ACCESS_LOGGER, logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("1.2.3.4:5", "POST", "/wechat?openid=o6_bmjrPTlm6_2sgVt7hMZOPfL2M&signature=x", "1.1",
         200), None)
    assert [PrivacyFilter().filter(r) for r in (record, access)] == [True, True]
    assert record.getMessage() == "resident zhang wrote 电话139****5678，6栋1单元***"
    assert access.getMessage() == '1.2.3.4:5 - "POST /wechat HTTP/1.1" 200'


def test_the_web_servers_own_access_format_reads_a_guarded_line() -> None:
    # uvicorn's AccessFormatter unpacks the record's arguments: a guard that flattened them
    # into the message made every request log a "--- Logging error ---" traceback instead.
    access = logging.LogRecord(
        ACCESS_LOGGER, logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("1.2.3.4:5", "GET", "/healthz?phone=13912345678", "1.1", 200), None)
    formatter = AccessFormatter('%(client_addr)s "%(request_line)s" %(status_code)s',
                                use_colors=False)

    assert PrivacyFilter().filter(access) is True
    assert formatter.format(access) == '1.2.3.4:5 "GET /healthz HTTP/1.1" 200 OK'


def test_database_errors_do_not_show_their_parameters(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (phone TEXT UNIQUE)"))
        connection.execute(text("INSERT INTO t VALUES (:p)"), {"p": "13912345678"})
    with pytest.raises(IntegrityError) as raised, engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (:p)"), {"p": "13912345678"})
    assert "13912345678" not in str(raised.value)
