"""No input ends the app (issue 31): one parser per kind, each giving a value or a message for any string.

Property tests over arbitrary text (hypothesis), and the strings that broke the app once: unicode digits,
exponents, overflow, years 1 and 9999, NaN, empty, 10,000 characters."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncro_tui.domain.billing import MinutesProblem, parse_minutes
from syncro_tui.domain.billing_form import parse_ended
from syncro_tui.domain.inputs import InputProblem, base_url, quantity, whole_number
from syncro_tui.domain.when import WhenProblem, booking, parse_day, parse_when

NOW = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
TZ = ZoneInfo("America/Chicago")
HOSTILE = ["", " ", "²", "①", "٣٠", "1e999999", "1E3", "NaN", "nan", "Infinity", "-0", "-5", "0x10", "1_000",
           "9" * 10_000, "1" * 25, "3.", ".5", "1,5", "\x00", "\u202e12", "12\n", "0001-01-01 00:10",
           "9999-12-31 23:59", "0001-01-01T00:10-06:00", "9999-12-31T23:59+14:00", "\ud800"]
TEXT = st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE),
                 st.from_regex(r"\A[0-9.eE+-]{0,12}\Z"), st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{4,5}\Z"))


def gives_value_or_message(parse, problem, text):
    try:
        return parse(text)
    except problem as exc:
        assert str(exc)  # a message in words
        return None


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_minutes_any_string(text):
    for confirmed in (False, True):
        minutes = gives_value_or_message(lambda t: parse_minutes(t, long_confirmed=confirmed), MinutesProblem, text)
        assert minutes is None or 0 < minutes <= 7 * 24 * 60


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_quantity_any_string(text):
    amount = gives_value_or_message(quantity, InputProblem, text)
    assert amount is None or (amount.is_finite() and Decimal(0) < amount <= 10_000)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_whole_number_any_string(text):
    number = gives_value_or_message(lambda t: whole_number(t, what="things"), InputProblem, text)
    assert number is None or number >= 0


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_date_times_any_string(text):
    for parse in (lambda t: parse_when(t, now=NOW, tz=TZ), lambda t: parse_when(t, now=NOW, tz=TZ, past=True),
                  lambda t: parse_ended(t, now=NOW, tz=TZ), lambda t: booking(t, "", now=NOW, tz=TZ),
                  lambda t: booking("fri 9:00", t, now=NOW, tz=TZ)):
        gives_value_or_message(parse, WhenProblem, text)
    gives_value_or_message(lambda t: parse_day(t, today=NOW.date()), WhenProblem, text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, st.from_regex(r"\Ahttps?://[\[\]a-z0-9.:]{0,20}(/api/v1)?\Z")))
def test_urls_any_string(text):
    url = gives_value_or_message(base_url, InputProblem, text)
    assert url is None or url.startswith(("http://", "https://"))


@pytest.mark.parametrize("text", ["²", "①", "9" * 10_000, "-5", "NaN", ""])
def test_the_strings_that_broke_the_minutes_are_told(text):
    with pytest.raises(MinutesProblem):
        parse_minutes(text, long_confirmed=True)
    with pytest.raises(MinutesProblem, match="over 7 days"):
        parse_minutes("1000000000000", long_confirmed=True)


@pytest.mark.parametrize("text", ["0001-01-01 00:10", "9999-12-31 23:59", "0001-01-01T00:10-06:00"])
def test_years_1_and_9999_are_told(text):
    with pytest.raises(WhenProblem, match="years from today"):
        parse_when(text, now=NOW, tz=TZ)


def test_the_values_a_tech_types_still_read():
    assert parse_minutes("45") == 45 and quantity("0.5") == Decimal("0.5") and quantity("2") == 2
    assert base_url("http://127.0.0.1:8765/api/v1/") == "http://127.0.0.1:8765/api/v1"
    assert parse_when("2026-11-20 09:30", now=NOW, tz=TZ) == datetime(2026, 11, 20, 9, 30, tzinfo=TZ)
    with pytest.raises(InputProblem, match="Invalid IPv6"):
        base_url("http://[::1/api/v1")
