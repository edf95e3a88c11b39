"""io.price_formats.sniff_prices: the price files people actually have (issue 11, finding 1).

Each fixture under tests/fixtures/prices/ reproduces one real export byte for byte in its
shape: headers, encoding (GBK bytes, UTF-8 BOM), date style, newest-first order, blank
pre-listing and suspension rows, NetEase's ``'000300`` codes, investing.com's thousands
separators. Before this module every one of them was refused by ``read_prices_csv``
(``missing column 'code'``, ``missing column 'date'``, ``close '' is not a number``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from socialfund.core.errors import ValidationError
from socialfund.io.price_formats import PRICE_FORMATS, PriceImport, code_from_file_name, sniff_prices
from socialfund.io.prices_file import read_prices_csv

FIXTURES = Path(__file__).parent / "fixtures" / "prices"


@pytest.fixture(autouse=True, params=["row-wise", "vectorised"])
def reader_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every case runs through both readers: the vectorised one (tried first on large files)
    must give the same result, or step aside for the row-wise one whose messages name lines."""
    import socialfund.io.price_formats as price_formats

    monkeypatch.setattr(price_formats, "_FAST_MIN_CHARS", 0 if request.param == "vectorised" else 10**12)
    return str(request.param)


@dataclass(frozen=True)
class Case:
    fixture: str
    name: str                       # the file name the user's file has (the code may come from it)
    code: str | None                # an explicit --code
    format: str
    closes: dict[str, list[float]]  # code -> closes in date order (NaN = gap)
    first: date
    last: date
    gaps: int


NAN = math.nan
CASES = [
    Case("long_two_codes.csv", "long_two_codes.csv", None, "long",
         {"159915.SZ": [NAN, 1.820, 1.835], "510300.SS": [3.456, 3.470, 3.480]},
         date(2024, 1, 2), date(2024, 1, 4), 1),
    Case("wide_closes.csv", "closes.csv", None, "wide",
         {"159915.SZ": [NAN, 1.820, 1.835], "510300.SS": [3.456, 3.470, 3.480], "SPY": [472.65, 468.79, 467.28]},
         date(2024, 1, 2), date(2024, 1, 4), 1),
    Case("wide_unnamed_index.csv", "wide_unnamed_index.csv", None, "wide",
         {"110022": [2.1030, NAN, 2.1101], "510300.SS": [3.456, 3.470, 3.480]},
         date(2024, 1, 2), date(2024, 1, 4), 1),
    Case("single_date_close.csv", "510300.SS.csv", None, "single",
         {"510300.SS": [3.456, NAN, 3.480]}, date(2024, 1, 2), date(2024, 1, 4), 1),
    Case("single_cn_close_gbk.csv", "000300_daily.csv", None, "single",
         {"000300": [3386.35, 3357.64, 3331.25]}, date(2024, 1, 2), date(2024, 1, 4), 0),
    Case("akshare_acc_nav.csv", "fund_nav.csv", "000001", "eastmoney_nav",
         {"000001": [3.5410, 3.5502, 3.5377]}, date(2024, 1, 2), date(2024, 1, 4), 0),
    Case("eastmoney_nav_gbk.csv", "110022.csv", None, "eastmoney_nav",   # closes: see the test of its own below
         {"110022": [1.1, 1.1055, 1.1055 * 1.006, 1.1055 * 1.006 * 1.002, 1.1055 * 1.006 * 1.002 * (1 + 0.0021 / 1.0309),
                     1.1055 * 1.006 * 1.002 * (1 + 0.0021 / 1.0309) * 1.004]},
         date(2024, 1, 2), date(2024, 1, 9), 0),
    Case("akshare_unit_nav_bom.csv", "710001.csv", None, "eastmoney_nav",
         {"710001": [1.234, 1.234 * 1.0049, 1.234 * 1.0049 * (1 - 0.0081), 1.234 * 1.0049 * (1 - 0.0081) * 1.0091]},
         date(2024, 1, 2), date(2024, 1, 5), 0),
    Case("netease_index_gbk.csv", "000300.csv", None, "ohlc",
         {"000300": [3361.51, 3357.64, 3331.25]}, date(2024, 1, 2), date(2024, 1, 4), 0),
    Case("netease_stock_suspended_gbk.csv", "600000.csv", None, "ohlc",
         {"600000": [6.55, 6.58, NAN, NAN, 6.62]}, date(2023, 12, 29), date(2024, 1, 5), 2),
    Case("akshare_stock_hist.csv", "平安银行.csv", None, "ohlc",
         {"000001": [9.21, 9.20, 9.11]}, date(2024, 1, 2), date(2024, 1, 4), 0),
    Case("efinance_quote_history_bom.csv", "maotai.csv", None, "ohlc",
         {"600519": [1685.01, 1694.0, 1669.0]}, date(2024, 1, 2), date(2024, 1, 4), 0),
    Case("tushare_daily.csv", "daily.csv", None, "ohlc",
         {"600519.SH": [1685.01, 1694.0, 1669.0]}, date(2024, 1, 2), date(2024, 1, 4), 0),
    Case("yfinance_download_single.csv", "download.csv", None, "yfinance",
         {"510300.SS": [3.4560000896453857, 3.4700000286102295, 3.4800000190734863]},
         date(2024, 1, 2), date(2024, 1, 4), 0),
    Case("yfinance_download_multi.csv", "download.csv", None, "yfinance",
         {"510300.SS": [3.3989999294281006, 3.3900001049041748, 3.4019999504089355],
          "SPY": [476.67999267578125, NAN, 474.92999267578125]},
         date(2024, 1, 12), date(2024, 1, 16), 1),
    Case("yfinance_history.csv", "510300.SS.csv", None, "yfinance",
         {"510300.SS": [3.4019999504089355, 3.3489999771118164, 3.3559999465942383]},
         date(2024, 1, 16), date(2024, 1, 18), 0),
    Case("yfinance_old_adj_close.csv", "SPY.csv", None, "yfinance",
         {"SPY": [466.663605, 462.852600, 461.361786]}, date(2024, 1, 2), date(2024, 1, 4), 0),
    Case("alphavantage_daily.csv", "IBM.csv", None, "alphavantage",
         {"IBM": [161.50, 162.00, 160.10]}, date(2024, 1, 2), date(2024, 1, 4), 0),
    Case("alphavantage_adjusted_pandas.csv", "IBM_daily_adjusted.csv", None, "alphavantage",
         {"IBM": [182.3235, 184.2195, 184.7050]}, date(2024, 2, 7), date(2024, 2, 9), 0),
    Case("investing_cn_bom.csv", "沪深300指数历史数据.csv", "000300", "investing",
         {"000300": [3361.51, 3357.64, 3331.25]}, date(2024, 1, 2), date(2024, 1, 4), 0),
    Case("investing_en_footer.csv", "IBM Historical Data.csv", None, "investing",
         {"IBM": [181.54, 180.74, 181.91]}, date(2024, 1, 2), date(2024, 1, 4), 0),
    Case("investing_en_mdy.csv", "SPY Historical Data.csv", "SPY", "investing",
         {"SPY": [472.65, 476.68, 474.93]}, date(2024, 1, 2), date(2024, 1, 16), 0),
]


def sniff(case: Case) -> PriceImport:
    return sniff_prices((FIXTURES / case.fixture).read_bytes(), case.name, case.code)


def test_every_fixture_has_a_case_and_every_format_a_fixture() -> None:
    assert {c.fixture for c in CASES} == {p.name for p in FIXTURES.glob("*.csv")}
    assert {c.format for c in CASES} == set(PRICE_FORMATS)


@pytest.mark.parametrize("case", CASES, ids=[c.fixture for c in CASES])
def test_fixture_is_read(case: Case) -> None:
    got = sniff(case)
    frame = got.frame
    assert got.format == case.format and got.file == case.name
    assert list(frame.columns) == ["date", "code", "close"]
    assert sorted(set(frame["code"])) == sorted(case.closes)
    assert all(isinstance(d, date) for d in frame["date"]) and frame["close"].dtype == float
    assert frame["date"].min() == case.first and frame["date"].max() == case.last
    for code, expected in case.closes.items():
        part = frame[frame["code"] == code]
        assert list(part["date"]) == sorted(part["date"]), "sorted by code, then date"
        assert part["close"].tolist() == pytest.approx(expected, rel=1e-12, nan_ok=True), code
    assert frame[["code", "date"]].values.tolist() == frame.sort_values(["code", "date"])[["code", "date"]] \
        .values.tolist()
    assert got.gaps == case.gaps == int(frame["close"].isna().sum())


def test_encodings_are_the_real_ones() -> None:
    """The GBK fixtures are not valid UTF-8 (so the GBK path is what reads them); the BOM ones start with it."""
    for name in ("eastmoney_nav_gbk.csv", "netease_index_gbk.csv", "netease_stock_suspended_gbk.csv",
                 "single_cn_close_gbk.csv"):
        raw = (FIXTURES / name).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert raw.decode("gbk").splitlines()[0][:2] in ("净值", "日期")
    for name in ("akshare_unit_nav_bom.csv", "efinance_quote_history_bom.csv", "investing_cn_bom.csv"):
        assert (FIXTURES / name).read_bytes().startswith(b"\xef\xbb\xbf")


def test_netease_codes_lose_the_apostrophe_and_keep_their_names() -> None:
    raw = (FIXTURES / "netease_index_gbk.csv").read_bytes()
    assert b"'000300" in raw
    got = sniff_prices(raw, "000300.csv")
    assert set(got.frame["code"]) == {"000300"} and got.names == {"000300": "沪深300"}


def test_netease_suspended_days_are_gaps_and_the_latest_name_wins() -> None:
    case = next(c for c in CASES if c.fixture == "netease_stock_suspended_gbk.csv")
    got = sniff(case)
    gaps = got.frame[got.frame["close"].isna()]
    assert list(gaps["date"]) == [date(2024, 1, 3), date(2024, 1, 4)]
    assert got.names == {"600000": "浦发银行"}          # 2023-12-29 says ST浦发
    assert any("1 suspension rows" in w for w in got.warnings)


def test_eastmoney_nav_chains_growth_through_a_dividend_and_a_split() -> None:
    """单位净值 drops 0.05 on the dividend day and by the split ratio on the split day; the
    chained close does not, and the dividend/split cells land in ``dividends``."""
    got = sniff_prices((FIXTURES / "eastmoney_nav_gbk.csv").read_bytes(), "110022.csv")
    assert got.format == "eastmoney_nav" and set(got.frame["code"]) == {"110022"}
    c = [1.1000]                                   # the first 单位净值; its own 0.10% is the day before the file
    for growth in (0.50, 0.60, 0.20):
        c.append(c[-1] * (1 + growth / 100))
    c.append(c[-1] * (1 + (3.3163 - 3.3142) / 1.0309))   # 2024-01-08 has 日增长率 '--': the 累计净值 change
    c.append(c[-1] * 1.004)
    assert got.frame["close"].tolist() == pytest.approx(c, rel=1e-12)
    assert got.frame["date"].tolist()[0] == date(2024, 1, 2) and got.frame["date"].tolist()[-1] == date(2024, 1, 9)
    unit_return = 1.0371 / 1.1000 - 1
    assert unit_return < 0 < c[-1] / c[0] - 1      # 单位净值 alone would show a loss
    assert got.dividends.to_dict("records") == [
        {"code": "110022", "date": date(2024, 1, 4), "text": "每份派现金0.0500元"},
        {"code": "110022", "date": date(2024, 1, 5), "text": "拆分：每份基金份额折算1.0323份"}]
    text = " | ".join(got.warnings)
    assert "chained from 日增长率" in text and "2 dividend records" in text and "1 days without 日增长率" in text


def test_eastmoney_nav_without_growth_uses_cumulative_nav_and_says_so() -> None:
    got = sniff_prices((FIXTURES / "akshare_acc_nav.csv").read_bytes(), "nav.csv", "000001")
    assert any("close = 累计净值" in w for w in got.warnings)


def test_growth_accepts_percent_signs_and_bare_numbers() -> None:
    with_sign = sniff_prices("净值日期,单位净值,日增长率\n2024-01-02,1.0,\n2024-01-03,1.01,1.00%\n".encode(), "1.csv",
                             "110022")
    bare = sniff_prices("净值日期,单位净值,日增长率\n2024-01-02,1.0,\n2024-01-03,1.01,1.00\n".encode(), "1.csv", "110022")
    assert with_sign.frame["close"].tolist() == bare.frame["close"].tolist() == pytest.approx([1.0, 1.01])


def test_yfinance_history_dividends_are_records_and_adj_close_is_preferred() -> None:
    hist = sniff_prices((FIXTURES / "yfinance_history.csv").read_bytes(), "510300.SS.csv")
    assert hist.dividends.to_dict("records") == [
        {"code": "510300.SS", "date": date(2024, 1, 18), "text": "dividend 0.069 (Dividends)"}]
    old = sniff_prices((FIXTURES / "yfinance_old_adj_close.csv").read_bytes(), "SPY.csv")
    assert "close: Adj Close" in old.warnings


def test_alphavantage_adjusted_close_and_dividend_amount() -> None:
    got = sniff_prices((FIXTURES / "alphavantage_adjusted_pandas.csv").read_bytes(), "IBM_daily.csv")
    assert got.dividends["date"].tolist() == [date(2024, 2, 8)]
    assert any("5. adjusted close" in w for w in got.warnings)


def test_investing_footer_is_skipped_with_a_warning() -> None:
    got = sniff_prices((FIXTURES / "investing_en_footer.csv").read_bytes(), "IBM Historical Data.csv", "IBM")
    assert any("summary line" in w for w in got.warnings) and len(got.frame) == 3


def test_yfinance_two_row_header_and_swapped_ticker_row() -> None:
    two = "Price,Close,Volume\nTicker,SPY,SPY\n2024-01-02,472.65,1\n2024-01-03,468.79,1\n"
    swapped = "Ticker,SPY,SPY\nPrice,Close,Volume\nDate,,\n2024-01-02,472.65,1\n2024-01-03,468.79,1\n"
    for text in (two, swapped):
        got = sniff_prices(text.encode(), "x.csv")
        assert got.format == "yfinance" and got.frame["close"].tolist() == [472.65, 468.79]


@pytest.mark.parametrize("cell, day", [
    ("2024-01-02", date(2024, 1, 2)), ("2024/1/2", date(2024, 1, 2)), ("20240102", date(2024, 1, 2)),
    ("2024年1月2日", date(2024, 1, 2)), ("2024年01月02日", date(2024, 1, 2)), ("Jan 02, 2024", date(2024, 1, 2)),
    ("Sep 3, 2024", date(2024, 9, 3)), ("2024-01-02 00:00:00-05:00", date(2024, 1, 2)),
    ("2024-01-02T15:00:00", date(2024, 1, 2)),
])
def test_date_styles(cell: str, day: date) -> None:
    got = sniff_prices(f'date,close\n"{cell}",1.5\n'.encode(), "x.csv", "A")
    assert got.frame["date"].tolist() == [day]


def test_thousands_separators_and_gap_markers() -> None:
    text = 'date,close\n2024-01-02,"1,234.50"\n2024-01-03,--\n2024-01-04,停牌\n2024-01-05,-\n2024-01-08," "\n'
    got = sniff_prices(text.encode(), "x.csv", "A")
    assert got.frame["close"].tolist()[0] == 1234.5 and got.gaps == 4


@pytest.mark.parametrize("name, code", [
    ("510300.csv", "510300"), ("510300.SS.csv", "510300.SS"), ("sh510300.csv", "sh510300"),
    ("000300_daily.csv", "000300"), ("data/600519.SH.csv", "600519.SH"), ("SPY.csv", "SPY"),
    ("C:\\exports\\159915.SZ-2024.csv", "159915.SZ"), ("prices.csv", None), ("my_fund.csv", None),
    ("12345.csv", None), ("沪深300.csv", None),
])
def test_code_from_file_name(name: str, code: str | None) -> None:
    assert code_from_file_name(name) == code


def test_code_precedence_column_then_explicit_then_file_name() -> None:
    text = b"date,close\n2024-01-02,1.5\n"
    assert set(sniff_prices(text, "510300.csv").frame["code"]) == {"510300"}
    assert set(sniff_prices(text, "510300.csv", "510300.SS").frame["code"]) == {"510300.SS"}
    netease = sniff_prices((FIXTURES / "netease_index_gbk.csv").read_bytes(), "x.csv", "399300")
    assert set(netease.frame["code"]) == {"000300"}
    assert any("'399300' ignored" in w for w in netease.warnings)


def test_read_prices_csv_still_reads_the_long_format_the_same_way() -> None:
    path = FIXTURES / "wide_closes.csv"   # not long: the csv provider's reader still insists on date,code,close
    with pytest.raises(ValidationError, match="missing column 'code'"):
        read_prices_csv(path)
    tmp = sniff_prices(b"date,code,close\n2024-01-03,A,2\n2024-01-02,A,1\n", "p.csv")
    assert tmp.frame.to_dict("records") == [{"date": date(2024, 1, 2), "code": "A", "close": 1.0},
                                            {"date": date(2024, 1, 3), "code": "A", "close": 2.0}]


# --------------------------------------------------------------------------- rejections

def rejected(text: str | bytes, name: str = "bad.csv", code: str | None = None) -> str:
    raw = text.encode() if isinstance(text, str) else text
    with pytest.raises(ValidationError) as err:
        sniff_prices(raw, name, code)
    message = str(err.value)
    assert message.startswith(name), message
    return message


def test_unrecognised_header_names_the_formats_expected() -> None:
    message = rejected("when,what\nmonday,1\n")
    assert "line 1" in message and "the header has: when,what" in message
    for fid in PRICE_FORMATS:
        assert fid in message
    assert "date,code,close" in message and "净值日期,单位净值" in message


def test_known_columns_without_a_close_are_refused_by_name() -> None:
    message = rejected("日期,开盘,最高\n2024-01-02,1,2\n")
    assert "no close column" in message and "开盘" in message and "line 1" in message


def test_one_instrument_without_a_code_says_pass_code() -> None:
    message = rejected("date,close\n2024-01-02,1.5\n", "prices.csv")
    assert "pass --code" in message and "股票代码/代码/code/ts_code/symbol" in message


@pytest.mark.parametrize("text, fragment, line, column", [
    ("date,code,close\n2024-01-02,A,1\n2024-01-03,A,abc\n", "close 'abc' in close is not a number", 3, "close"),
    ("date,code,close\n2024-01-02,A,-1\n", "positive finite", 2, "close"),
    ("date,code,close\n2024-01-02,A,0\n", "positive finite", 2, "close"),
    ("date,code,close\n2024-01-02,A,nan\n", "positive finite", 2, "close"),
    ("date,code,close\n2024-01-02,A,inf\n", "positive finite", 2, "close"),
    ("date,code,close\n2024-01-02,A,1\n2024-01-03,A,2\n2024-01-02,A,3\n", ("duplicate row for A on 2024-01-02 "
                                                                           "(first at line 2)"), 4, None),
    ("date,code,close\n2024-13-02,A,1\n", "not a real calendar day", 2, "date"),
    ("date,code,close\nyesterday,A,1\n", "'yesterday' is not a date (expected YYYY-MM-DD", 2, "date"),
    ("date,code,close\n2024-01-02,,1\n", "code is empty", 2, "code"),
    ("date,close\n01/02/2024,1\n02/03/2024,2\n", "ambiguous", 2, "date"),
    ("date,close\n13/01/2024,1\n01/13/2024,2\n", "mix day/month orders", 3, "date"),
    ("日期,股票代码,收盘价,成交量\n2024-01-02,'000300,0,100\n", "long: close '0' in 收盘价 must be a positive", 2, "收盘价"),
    ("date,A,B\n2024-01-02,1,x\n", "wide: close 'x' in B is not a number", 2, "B"),
    ("date,code,close\n2024-01-02,A,1\n2024-01-03,A\n", "expected 3 fields", 3, None),   # truncated, not a gap
    ('日期,收盘,开盘,高,低,交易量,涨跌幅\n"2024年1月2日","3,45","3","3","3","1M","1%"\n', "investing: close '3,45'",
     2, "收盘"),
])
def test_bad_rows_are_refused_with_their_line(text: str, fragment: str, line: int, column: str | None) -> None:
    message = rejected(text, code="A")
    assert fragment in message and f"line {line}" in message, message
    if column is not None:
        assert f"column {column}" in message, message


def test_unit_nav_alone_is_refused() -> None:
    message = rejected("净值日期,单位净值\n2024-01-02,1.0\n", "110022.csv")
    assert "单位净值 alone" in message and "日增长率 or 累计净值" in message


def test_money_market_export_is_refused() -> None:
    message = rejected("净值日期,每万份收益,7日年化收益率（%）,申购状态,赎回状态,分红送配\n2024-01-02,0.5,1.8,,,\n",
                       "000198.csv")
    assert "money-market" in message


def test_missing_growth_on_a_dividend_day_without_cumulative_nav_is_refused() -> None:
    text = "净值日期,单位净值,日增长率,分红送配\n2024-01-02,1.10,,\n2024-01-03,1.06,,每份派现金0.0500元\n"
    message = rejected(text, "110022.csv")
    assert "日增长率 is missing" in message and "line 3" in message


def test_missing_growth_on_a_split_day_is_refused_even_with_cumulative_nav() -> None:
    """累计净值 changes do not measure a split day's return, so nothing is guessed."""
    text = ("净值日期,单位净值,累计净值,日增长率,分红送配\n2024-01-02,1.10,2.10,,\n"
            "2024-01-03,1.07,2.11,--,拆分：每份基金份额折算1.0323份\n")
    message = rejected(text, "110022.csv")
    assert "日增长率 is missing" in message and "line 3" in message


def test_all_gaps_and_header_only_are_refused() -> None:
    assert "no prices" in rejected("date,code,close\n2024-01-02,A,\n")
    assert "header but no rows" in rejected("date,code,close\n")
    assert "empty" in rejected(b"")


def test_binary_and_other_encodings_are_refused_by_the_one_decoder() -> None:
    assert "zip archive" in rejected(b"PK\x03\x04rest")
    assert "UTF-16" in rejected("date,close\n".encode("utf-16"))


def test_result_frames_are_plain_pandas() -> None:
    got = sniff_prices(b"date,code,close\n2024-01-02,A,1\n", "p.csv")
    assert isinstance(got.frame, pd.DataFrame) and list(got.dividends.columns) == ["code", "date", "text"]
    assert got.dividends.empty and got.names == {} and got.warnings == ()


def test_large_plain_files_read_the_same_through_both_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long file (gaps, names, codes written '000300), a wide one and a 天天基金 NAV export (GBK,
    newest first, a gap row, a dividend record): identical imports through both readers."""
    import numpy as np

    import socialfund.io.price_formats as price_formats

    days = pd.bdate_range("2020-01-01", periods=400).strftime("%Y-%m-%d")
    rng = np.random.default_rng(3)
    lines = ["date,code,name,close"]
    for code, name in (("'000300", "沪深300"), ("510300", "300ETF"), ("159915.SZ", "创业板ETF")):
        closes = np.round(np.exp(np.cumsum(rng.normal(0, 0.01, len(days)))) * 3, 4)
        for i, (d, c) in enumerate(zip(days, closes)):
            lines.append(f"{d},{code},{name if i % 7 else ''},{'' if i % 50 == 3 else c}")
    long_bytes = "\n".join(lines).encode("gbk")
    wide = pd.DataFrame(np.round(rng.uniform(1, 2, (len(days), 3)), 4), index=days, columns=["A1", "B2", "C3"])
    wide.iloc[5, 1] = np.nan
    wide_bytes = wide.to_csv(index_label="date").encode()
    nav = ["净值日期,单位净值,累计净值,日增长率,申购状态,赎回状态,分红送配"]
    unit = 1.0
    for i, d in enumerate(days):
        unit = round(unit * (1 + rng.normal(0, 0.01)), 4)
        growth = "" if i == 0 else f"{rng.normal(0, 1):.2f}%"
        note = "每份派现金0.0500元" if i == 200 else ""
        cells = ("", "", growth) if i == 10 else (f"{unit}", f"{unit + 0.5:.4f}", growth)
        nav.append(f"{d},{cells[0]},{cells[1]},{cells[2]},开放申购,开放赎回,{note}")
    nav_bytes = "\n".join([nav[0], *reversed(nav[1:])]).encode("gbk")     # newest first, as exported
    for raw, name in ((long_bytes, "long.csv"), (wide_bytes, "wide.csv"), (nav_bytes, "110022.csv")):
        monkeypatch.setattr(price_formats, "_FAST_MIN_CHARS", 10**12)
        slow = sniff_prices(raw, name)
        monkeypatch.setattr(price_formats, "_FAST_MIN_CHARS", 0)
        used: list[bool] = []
        real_fast = price_formats._fast_read
        monkeypatch.setattr(price_formats, "_fast_read", lambda *a: used.append(True) or real_fast(*a))
        fast = sniff_prices(raw, name)
        assert used and real_fast(price_formats.decode_bytes(raw, name),
                                  price_formats._detect(price_formats._head(price_formats.decode_bytes(raw, name), 4),
                                                        name), name, None) is not None
        pd.testing.assert_frame_equal(slow.frame, fast.frame, check_exact=True)
        assert (slow.format, slow.names, slow.gaps, slow.warnings) == (fast.format, fast.names, fast.gaps, fast.warnings)
        pd.testing.assert_frame_equal(slow.dividends, fast.dividends)
        monkeypatch.undo()
