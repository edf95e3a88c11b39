"""The one code resolver (``socialfund.core.codes``): every variant people write resolves to
the kind-qualified code of the store, and a code that could mean two instruments is refused
with a message naming both."""

from __future__ import annotations

import pytest

from socialfund.core.codes import CodeResolver, canonical_code, clean_code
from socialfund.core.errors import ValidationError
from socialfund.market.instruments import kind_of_listed, new_instrument, universe_resolver

# fund 000001 (华夏成长), index 000001.SS (SSE Composite) and stock 000001.SZ (平安银行): the
# same six digits, three instruments.
UNIVERSE = {"000001": "fund", "000001.SS": "index", "000001.SZ": "stock", "510300.SS": "etf",
            "159915.SZ": "etf", "430047.BJ": "stock", "110022": "fund", "SPY": "etf", "CASH": "cash"}
RESOLVER = CodeResolver(UNIVERSE, UNIVERSE)


@pytest.mark.parametrize("typed, code", [
    ("510300.SS", "510300.SS"),
    ("510300.SH", "510300.SS"), ("510300.sh", "510300.SS"), ("510300.ss", "510300.SS"),
    ("sh510300", "510300.SS"), ("SH510300", "510300.SS"), ("510300.XSHG", "510300.SS"),
    ("sz159915", "159915.SZ"), ("159915.sz", "159915.SZ"), ("159915.XSHE", "159915.SZ"),
    ("bj430047", "430047.BJ"),
    ("110022.OF", "110022"), ("110022OF", "110022"), ("110022.of", "110022"), ("110022", "110022"),
    ("５１０３００.ＳＨ", "510300.SS"),          # full-width digits and letters
    ("'510300.SS", "510300.SS"), ("'sh510300", "510300.SS"), ('="510300.SS"', "510300.SS"),
    ("  spy ", "SPY"), ("cash", "CASH"),
    ("510300", "510300.SS"),                    # the one code with these digits
])
def test_every_variant_resolves_to_the_stored_code(typed: str, code: str) -> None:
    assert RESOLVER.resolve(typed) == code


def test_the_exchange_or_of_is_taken_as_written() -> None:
    assert RESOLVER.resolve("000001.OF") == "000001"          # the fund
    assert RESOLVER.resolve("sh000001") == "000001.SS"        # the index
    assert RESOLVER.resolve("000001.SZ") == "000001.SZ"       # the stock
    assert RESOLVER.match("510300.SZ").kind == "unknown"      # not the Shanghai ETF
    assert RESOLVER.match("110022.SS").kind == "unknown"      # not the fund


def test_a_bare_code_of_several_instruments_is_refused_naming_every_candidate() -> None:
    found = RESOLVER.match("'000001")
    assert found.kind == "ambiguous" and found.code is None
    assert found.candidates == ("000001 (fund)", "000001.SS (index)", "000001.SZ (stock)")
    with pytest.raises(ValueError) as err:
        RESOLVER.resolve("000001")
    message = str(err.value)
    assert all(c in message for c in ("000001 (fund)", "000001.SS (index)", "000001.SZ (stock)", "000001.OF"))


def test_a_completed_code_says_what_was_assumed_and_the_others_say_why_not() -> None:
    assert RESOLVER.match("510300").note == "510300 read as 510300.SS"
    assert RESOLVER.match("sh510300").note == ""
    assert RESOLVER.match("").reason == "code is empty"
    assert "'000001'" in RESOLVER.match("1").reason      # a spreadsheet's number, not guessed back
    assert RESOLVER.match("999999").kind == "unknown"


@pytest.mark.parametrize("typed, canonical", [
    ("600519.SH", "600519.SS"), ("sz000001", "000001.SZ"), ("'000300", "000300"), ("000300.of", "000300"),
    ("brk-b", "BRK-B"), ("０００３００", "000300"),
])
def test_canonical_spelling_of_codes_the_universe_does_not_know(typed: str, canonical: str) -> None:
    assert canonical_code(typed) == canonical
    assert clean_code(" 'ab ") == "ab"


def test_universe_resolver_knows_kinds_and_extra_codes() -> None:
    universe = [new_instrument("000001", "华夏成长"), new_instrument("000001.SS", "上证指数")]
    resolver = universe_resolver(universe, extra=["CASH"])
    assert resolver.resolve("cash") == "CASH"
    assert resolver.match("000001").candidates == ("000001 (fund)", "000001.SS (index)")


@pytest.mark.parametrize("code, kind, market, calendar", [
    ("000001", "fund", "OTC", "XSHG"), ("000300.SS", "index", "SSE", "XSHG"), ("399006.SZ", "index", "SZSE", "XSHG"),
    ("510300.SS", "etf", "SSE", "XSHG"), ("159915.SZ", "etf", "SZSE", "XSHG"), ("161725.SZ", "lof", "SZSE", "XSHG"),
    ("501018.SS", "lof", "SSE", "XSHG"), ("600519.SS", "stock", "SSE", "XSHG"), ("000001.SZ", "stock", "SZSE", "XSHG"),
    ("SPY", "unknown", "US", "XNYS"),
])
def test_a_new_code_is_registered_with_its_kind_market_and_calendar(code: str, kind: str, market: str,
                                                                   calendar: str) -> None:
    made = new_instrument(code, "名称")
    assert (made.kind, made.market, made.calendar, made.name_zh) == (kind, market, calendar, "名称")
    if "." in code:
        assert kind_of_listed(code) == kind


def test_a_code_of_unknown_market_is_not_registered() -> None:
    with pytest.raises(ValidationError, match="market cannot be told"):
        new_instrument("0700.HK")


# Every reader of user codes goes through the resolver: the same variants work in each file.
KNOWN = ["510300.SS", "159915.SZ", "110022", "000001", "000001.SS"]


def test_holdings_history_and_posts_files_read_the_variants_and_refuse_the_ambiguous() -> None:
    from datetime import datetime

    from socialfund.io.history_file import read_history_csv
    from socialfund.io.holdings import read_holdings_csv
    from socialfund.io.posts_file import parse_posts

    holdings = read_holdings_csv("code,weight\nsh510300,50\n159915.sz,30\n１１００２２.OF,20\n".encode(), "h.csv", KNOWN)
    assert holdings.weights_bp == {"510300.SS": 5000, "159915.SZ": 3000, "110022": 2000}
    history = read_history_csv(b"date,code,weight\n2024-01-02,'510300.SH,100\n2024-02-01,SZ159915,100\n", "x.csv",
                               KNOWN)
    assert [s.weights_bp for s in history] == [{"510300.SS": 10000}, {"159915.SZ": 10000}]
    posts = parse_posts("code,text,published_at\nsh000001,大盘涨了,2024-01-03T10:00:00+08:00\n"
                        "000001of,基金不错,2024-01-03T11:00:00+08:00\n".encode(), "p.csv", KNOWN,
                        now_utc=datetime(2024, 6, 1))
    assert [r["code"] for r in posts.rows] == ["000001.SS", "000001"]   # the index and the fund, never confused
    for read in (lambda: read_holdings_csv(b"code,weight\n000001,100\n", "h.csv", KNOWN),
                 lambda: read_history_csv(b"date,code,weight\n2024-01-02,000001,100\n", "x.csv", KNOWN),
                 lambda: parse_posts(b"code,text,published_at\n000001,hi,2024-01-03T10:00:00+08:00\n", "p.csv", KNOWN,
                                     now_utc=datetime(2024, 6, 1))):
        with pytest.raises(ValidationError, match=r"ambiguous.*000001, 000001\.SS"):
            read()
