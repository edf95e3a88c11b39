"""The one date parser (``socialfund.io.dates``): the styles people's files have, the
day/month order only when certain, epoch seconds, ``--year`` for list-page month-days, and
refusals that name the value and the options. Its three callers (prices, histories, posts)
read the same styles."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from socialfund.core.errors import ValidationError
from socialfund.io.dates import DateError, looks_like_date, parse_day, parse_when, settle_day_first
from socialfund.io.history_file import parse_history_date
from socialfund.io.posts_file import parse_published_at
from socialfund.io.price_formats import sniff_prices

NOW = datetime(2026, 1, 1)


@pytest.mark.parametrize("cell, day, clock, offset", [
    ("2015-07-07", date(2015, 7, 7), None, None),
    ("2015/07/07 10:08:52", date(2015, 7, 7), time(10, 8, 52), None),
    ("2015/7/7 10:08", date(2015, 7, 7), time(10, 8), None),
    ("2015.07.07", date(2015, 7, 7), None, None),
    ("2015-07-07T10:08:52.250+08:00", date(2015, 7, 7), time(10, 8, 52, 250000), timedelta(hours=8)),
    ("2015-07-07 02:08:52Z", date(2015, 7, 7), time(2, 8, 52), timedelta(0)),
    ("2015-07-07 10:08 +0800", date(2015, 7, 7), time(10, 8), timedelta(hours=8)),
    ("2015-07-07 10:08:00-05:00", date(2015, 7, 7), time(10, 8), timedelta(hours=-5)),
    ("20150707", date(2015, 7, 7), None, None),
    ("20150707100852", date(2015, 7, 7), time(10, 8, 52), None),
    ("2015年7月7日", date(2015, 7, 7), None, None),
    ("2015年07月07日 10:08", date(2015, 7, 7), time(10, 8), None),
    ("2015年7月7日10:08:52", date(2015, 7, 7), time(10, 8, 52), None),
    ("２０１５年７月７日　１０：０８", date(2015, 7, 7), time(10, 8), None),      # full-width, NFKC
    ("Jul 7, 2015", date(2015, 7, 7), None, None),
    ("July 07 2015", date(2015, 7, 7), None, None),
    ("7 Jul 2015", date(2015, 7, 7), None, None),
    ("Sept 3, 2024", date(2024, 9, 3), None, None),
    ("07/07/2015", date(2015, 7, 7), None, None),       # both parts equal: the same either way
    ("13/07/2015", date(2015, 7, 13), None, None),      # 13 cannot be a month: day first
    ("07/13/2015 10:08", date(2015, 7, 13), time(10, 8), None),   # month first
])
def test_styles(cell: str, day: date, clock: time | None, offset: timedelta | None) -> None:
    got = parse_when(cell)
    assert (got.day, got.clock, got.offset) == (day, clock, offset)
    assert parse_day(cell) == day


def test_ambiguous_day_month_is_refused_naming_the_value_and_both_readings() -> None:
    with pytest.raises(DateError) as err:
        parse_when("03/04/2015")
    message = str(err.value)
    assert err.value.kind == "ambiguous"
    assert "'03/04/2015'" in message and "ambiguous" in message
    assert "2015-04-03 (day/month)" in message and "2015-03-04 (month/day)" in message
    assert "YYYY-MM-DD" in message and "\n" not in message


def test_the_column_settles_the_order_and_a_mixed_column_is_refused() -> None:
    cells = [(2, "03/04/2015"), (3, "25/04/2015"), (4, "2015-04-26")]
    day_first = settle_day_first(cells)
    assert day_first is True
    assert parse_day("03/04/2015", day_first=day_first) == date(2015, 4, 3)
    assert parse_day("03/04/2015", day_first=False) == date(2015, 3, 4)
    assert settle_day_first([(2, "03/04/2015"), (3, "2015-01-01")]) is None
    with pytest.raises(DateError) as err:
        settle_day_first([(2, "25/04/2015"), (3, "04/26/2015"), (4, "30/04/2015")])
    assert err.value.kind == "mixed" and err.value.line == 3
    assert "day first at line 2, month first at line 3" in str(err.value)


def test_epoch_seconds_and_milliseconds_are_utc_and_only_where_allowed() -> None:
    got = parse_when("1436234932", epoch=True)
    assert got.as_datetime() == datetime(2015, 7, 7, 2, 8, 52).replace(tzinfo=got.as_datetime().tzinfo)
    assert got.offset == timedelta(0) and got.style == "epoch"
    assert parse_when("1436234932000", epoch=True).style == "epoch_ms"
    assert parse_when("1436234932000", epoch=True).clock == time(2, 8, 52)
    assert parse_when("1436234932.5", epoch=True).clock == time(2, 8, 52, 500000)
    with pytest.raises(DateError, match="epoch seconds"):
        parse_when("1436234932")          # a prices or history date column has no instants


def test_month_day_needs_the_year() -> None:
    with pytest.raises(DateError) as err:
        parse_when("07-07 10:08")
    assert err.value.kind == "no_year" and "--year" in str(err.value) and "'07-07 10:08'" in str(err.value)
    assert parse_when("07-07 10:08", year=2015).as_datetime() == datetime(2015, 7, 7, 10, 8)
    assert parse_when("7月7日 10:08", year=2015).day == date(2015, 7, 7)
    assert parse_when("2016-07-07", year=2015).day == date(2016, 7, 7)   # a written year wins


@pytest.mark.parametrize("cell, kind, fragment", [
    ("", "empty", "is empty"),
    ("yesterday", "relative", "relative time"),
    ("今天 10:08", "relative", "relative time"),
    ("5分钟前", "relative", "relative time"),
    ("07/07/15", "unknown", "two digits"),
    ("2015-02-30", "impossible", "not a real calendar day"),
    ("2015-07-07 25:00", "impossible", "not a real calendar day or time"),
    ("13/13/2015", "impossible", "not a real calendar day"),
    ("Foo 7, 2015", "unknown", "is not a date (expected YYYY-MM-DD"),
    ("12345", "unknown", "is not a date"),
])
def test_refusals_say_why(cell: str, kind: str, fragment: str) -> None:
    with pytest.raises(DateError) as err:
        parse_when(cell, what="published_at", epoch=True)
    assert err.value.kind == kind and fragment in str(err.value)
    assert cell == "" or repr(cell) in str(err.value)   # the message names the value


def test_looks_like_date_sniffs_dated_values_only() -> None:
    assert looks_like_date("2015-07-07") and looks_like_date("2015年7月7日") and looks_like_date("07/07/2015")
    assert not looks_like_date("07-07") and not looks_like_date("510300") and not looks_like_date("close")


def test_the_three_callers_read_the_same_styles() -> None:
    for cell in ("2015/07/07 10:08:52", "20150707", "2015年7月7日", "Jul 7, 2015"):
        assert parse_history_date(cell, file="h.csv", line=2) == date(2015, 7, 7)
        assert sniff_prices(f'date,close\n"{cell}",1.5\n'.encode(), "x.csv", "A").frame["date"].tolist() == \
            [date(2015, 7, 7)]
        utc, _ = parse_published_at(cell, NOW)
        assert (utc + timedelta(hours=8)).date() == date(2015, 7, 7)


def test_history_dates_settle_day_first_over_the_column() -> None:
    from socialfund.io.history_file import read_history_csv

    text = "date,code,weight\n03/01/2023,510300,100\n25/01/2023,510300,100\n"
    steps = read_history_csv(text.encode(), "h.csv", ["510300.SS"])
    assert [s.day for s in steps] == [date(2023, 1, 3), date(2023, 1, 25)]
    with pytest.raises(ValidationError) as err:
        read_history_csv(b"date,code,weight\n25/01/2023,510300,100\n01/26/2023,510300,100\n", "h.csv",
                         ["510300.SS"])
    assert "line 3, column date" in str(err.value) and "mix day/month orders" in str(err.value)


def test_post_times_epoch_naive_and_year() -> None:
    assert parse_published_at("1436234932", NOW) == (datetime(2015, 7, 7, 2, 8, 52), None)
    assert parse_published_at("2015年07月07日 10:08", NOW) == (datetime(2015, 7, 7, 2, 8), "naive")
    assert parse_published_at("07-07 10:08", NOW, year=2015) == (datetime(2015, 7, 7, 2, 8), "naive")
    assert parse_published_at("20150707", NOW) == (datetime(2015, 7, 7, 15, 59, 59), "date-only")
    with pytest.raises(ValueError, match="--year"):
        parse_published_at("07-07 10:08", NOW)
