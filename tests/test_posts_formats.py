"""Posts as real exports have them (issue 11, finding 8): 股吧 and 雪球 shapes with Chinese
headers, GBK and BOM, the date styles of ``io.dates``, epoch times, cashtags, the SSE Composite
``000001`` never attributed to the fund ``000001``, a store without the demo, ``--partial`` with
its report, and ``--json``. Every file here is small and written by hand in the real shape."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from socialfund import cli
from socialfund.core.errors import ValidationError
from socialfund.market.instruments import Instrument
from socialfund.market.registry import register_instruments
from socialfund.services import posts as P
from socialfund.store import Store, open_store, schema

NOW = datetime(2026, 1, 1)


def _instrument(code: str, name_zh: str, kind: str) -> Instrument:
    market = "OTC" if "." not in code else ("SSE" if code.endswith(".SS") else "SZSE")
    return Instrument(code, name_zh, name_zh, kind, market, "CNY", None, "broad", "XSHG")


#: A store with no demo data: only what a user imported (the fund 000001, an ETF, a stock).
OWN = [_instrument("000001", "华夏成长混合", "fund"), _instrument("510300.SS", "华泰柏瑞沪深300ETF", "etf"),
       _instrument("600519.SS", "贵州茅台", "stock"), _instrument("110022", "易方达消费行业股票", "fund")]
SSE_COMPOSITE = _instrument("000001.SS", "上证综合指数", "index")


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = open_store(f"sqlite:///{tmp_path}/own.db")
    register_instruments(s, OWN)
    return s


def stored(store: Store) -> list[tuple[str, str, datetime]]:
    """(code, text, published_at UTC) of every post, in insertion order."""
    p = schema.posts
    with store.read() as conn:
        return [(r.code, r.text, r.published_at) for r in conn.execute(select(p.c.code, p.c.text, p.c.published_at)
                                                                       .order_by(p.c.id))]


def imp(store: Store, data: bytes, name: str = "posts.csv", **kw):  # type: ignore[no-untyped-def]
    return P.import_posts(store, data, name, source="real", now_utc=NOW, **kw)


def report_rows(result) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert result.report_csv is not None
    return list(csv.DictReader(io.StringIO(result.report_csv.decode("utf-8-sig"))))


# --------------------------------------------------------------------------- export shapes

GUBA_GBK = ("代码,标题,作者,阅读,评论,发帖时间\r\n"
            "510300,沪深300今天放量了,股民甲,1234,12,2015/07/07 10:08:52\r\n"
            "110022,消费基金还能拿吗,股民乙,88,3,20150707\r\n"
            "'000001,华夏成长分红了,股民丙,5,0,2015年7月7日\r\n"
            "600519.SH,茅台又新高,股民丁,9999,120,2015年07月07日 14:30\r\n")


def test_guba_export_in_gbk_with_chinese_headers_and_four_date_styles(store: Store) -> None:
    result = imp(store, GUBA_GBK.encode("gbk"), "股吧导出.csv")
    assert (result.imported, result.duplicates, result.unresolved) == (4, 0, 0)
    assert stored(store) == [
        ("510300.SS", "沪深300今天放量了", datetime(2015, 7, 7, 2, 8, 52)),      # Shanghai time → UTC
        ("110022", "消费基金还能拿吗", datetime(2015, 7, 7, 15, 59, 59)),        # date only: after the close
        ("000001", "华夏成长分红了", datetime(2015, 7, 7, 15, 59, 59)),          # '000001: the spreadsheet quirk
        ("600519.SS", "茅台又新高", datetime(2015, 7, 7, 6, 30)),               # .SH is Shanghai's .SS
    ]
    assert any("completed with their exchange suffix" in w for w in result.warnings)


XUEQIU_BOM = ("\ufeff用户名,内容,发布时间,转发,评论\n"
              "价值投资者,\"买入 $贵州茅台(SH600519)$ ，长期持有\",07-07 10:08,5,2\n"
              "定投小白,\"今天又定投了 $510300$\",07-08 09:31,0,1\n"
              "指数迷,\"#510300# 跌破年线了\",07-09 15:01,1,0\n")


def test_xueqiu_export_with_bom_cashtags_and_year_less_times(store: Store) -> None:
    data = XUEQIU_BOM.encode("utf-8")
    with pytest.raises(ValidationError) as err:
        imp(store, data, "xueqiu.csv")
    assert "line 2, column 发布时间" in str(err.value) and "--year" in str(err.value)
    assert stored(store) == []
    result = imp(store, data, "xueqiu.csv", year=2015)
    assert result.imported == 3
    assert [(c, t) for c, _, t in stored(store)] == [("600519.SS", datetime(2015, 7, 7, 2, 8)),
                                                      ("510300.SS", datetime(2015, 7, 8, 1, 31)),
                                                      ("510300.SS", datetime(2015, 7, 9, 7, 1))]
    assert any("ignored extra column: 转发" == w for w in result.warnings)
    assert any("cashtag" in w for w in result.warnings)


def test_xueqiu_json_lines_with_epoch_milliseconds_and_symbols(store: Store) -> None:
    lines = [{"symbol": "SH600519", "text": "茅台财报超预期", "created_at": 1436234932000, "user": "价值投资者"},
             {"symbol": "", "text": "$华泰柏瑞沪深300ETF$ 估值不高", "created_at": "1436321332"},
             {"symbol": "SZ000001", "text": "平安银行不是那只基金", "created_at": 1436234932}]
    data = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode()
    result = imp(store, data, "xueqiu.jsonl", partial=True)
    assert result.imported == 2 and result.unresolved == 1
    assert stored(store) == [("600519.SS", "茅台财报超预期", datetime(2015, 7, 7, 2, 8, 52)),
                             ("510300.SS", "$华泰柏瑞沪深300ETF$ 估值不高", datetime(2015, 7, 8, 2, 8, 52))]
    [row] = report_rows(result)
    assert row["line"] == "3" and "000001.SZ" in row["reason"] and "fund 000001 is a different" in row["reason"]


# --------------------------------------------------------------------------- 000001: index or fund

INDEX_ROWS = ("code,name,text,published_at\n"
              "sh000001,,大盘要破3000点了,2015-07-07 10:00\n"
              "000001.SH,,沪指缩量,2015-07-07 10:01\n"
              "上证指数,,上证指数又绿了,2015-07-07 10:02\n"
              "000001,上证指数,代码写成000001的大盘帖,2015-07-07 10:03\n"
              ",,\"$上证指数(SH000001)$ 今天跌了\",2015-07-07 10:04\n"
              "zssh000001,,股吧的指数吧,2015-07-07 10:05\n"
              "000001,,这只才是华夏成长基金,2015-07-07 10:06\n"
              "of000001,,基金吧的写法,2015-07-07 10:07\n"
              "sh000001,华夏成长混合,代码说指数、名称说基金,2015-07-07 10:08\n")


def test_the_sse_composite_is_never_attributed_to_the_fund_000001(store: Store) -> None:
    result = imp(store, INDEX_ROWS.encode(), partial=True)
    assert result.imported == 2 and result.unresolved == 7
    assert [(c, t) for c, t, _ in stored(store)] == [("000001", "这只才是华夏成长基金"), ("000001", "基金吧的写法")]
    rows = report_rows(result)
    assert [r["line"] for r in rows] == ["2", "3", "4", "5", "6", "7", "10"]
    for r in rows:
        assert "000001.SS" in r["reason"] and "not among the store's instruments" in r["reason"], r
    assert "SSE Composite" in rows[0]["reason"] and "the fund 000001 is a different instrument" in rows[0]["reason"]
    assert rows[4]["column"] == "text" and rows[4]["reason"].startswith("cashtag:")
    assert "the name '华夏成长混合' is 000001, another instrument with the same digits" in rows[6]["reason"]


def test_with_the_index_in_the_store_the_same_rows_go_to_the_index(store: Store) -> None:
    register_instruments(store, [SSE_COMPOSITE])
    # the bare "000001" row (line 8) is left to the one resolver (fund and index now share the digits)
    rows = [line for i, line in enumerate(INDEX_ROWS.splitlines(keepends=True), start=1) if i != 8]
    result = imp(store, "".join(rows).encode(), partial=True)
    [conflict] = report_rows(result)        # sh000001 named 华夏成长混合: the index or the fund?
    assert conflict["line"] == "9" and "which one is meant?" in conflict["reason"]
    assert result.imported == 7 and result.unresolved == 1
    assert [c for c, _, _ in stored(store)] == ["000001.SS"] * 6 + ["000001"]      # of000001: the fund board


# --------------------------------------------------------------------------- a store without the demo

def test_a_valid_code_the_store_does_not_hold_is_unresolved_not_a_crash(store: Store) -> None:
    text = ("基金代码,基金名称,正文,发帖时间\n"
            "159915,易方达创业板ETF,创业板起飞,2024-03-01 10:00\n"          # a real code, not in this store
            ",华夏成长混合,按名称找到,2024-03-01 10:01\n"                   # no code: the name resolves
            "999998,易方达消费行业股票,代码不认识但名称认识,2024-03-01 10:02\n"  # unknown code: the name resolves
            "510300,,正常,2024-03-01 10:03\n")
    with pytest.raises(ValidationError) as err:                          # without --partial: all or nothing
        imp(store, text.encode("gbk"))
    assert "line 2, column 基金代码" in str(err.value) and "159915" in str(err.value)
    assert stored(store) == []
    result = imp(store, text.encode("gbk"), partial=True)
    assert result.imported == 3 and result.unresolved == 1
    assert [c for c, _, _ in stored(store)] == ["000001", "110022", "510300.SS"]
    [row] = report_rows(result)
    assert row["line"] == "2" and "unknown code '159915'" in row["reason"]
    assert row["正文"] == "创业板起飞" and row["基金代码"] == "159915"      # the row as written, to fix and re-import
    assert any("by name" in w for w in result.warnings)


def test_an_empty_store_takes_nothing_and_says_why(tmp_path: Path) -> None:
    empty = open_store(f"sqlite:///{tmp_path}/empty.db")
    result = P.import_posts(empty, GUBA_GBK.encode("gbk"), "guba.csv", source="real", now_utc=NOW, partial=True)
    assert result.imported == 0 and result.unresolved == 4
    assert all("import its prices first" in r["reason"] or "unknown code" in r["reason"] for r in report_rows(result))


def test_the_report_can_be_fixed_and_imported_again(store: Store) -> None:
    first = imp(store, INDEX_ROWS.encode(), partial=True)     # the report holds no bare "000001" row
    register_instruments(store, [SSE_COMPOSITE])
    again = imp(store, first.report_csv or b"", "posts.csv.unresolved.csv", partial=True)
    assert (again.imported, again.unresolved) == (6, 1)          # only the index-or-fund conflict is left
    assert "ignored extra columns: line, column, reason" in again.warnings


# --------------------------------------------------------------------------- refusals

@pytest.mark.parametrize("text, fragments", [
    ("代码,内容,时间,发帖时间\n510300,x,2024-01-02,2024-01-02\n", ["'时间' and '发帖时间' both mean published_at"]),
    ("代码,作者\n510300,x\n", ["missing columns text, published_at", "内容/正文/content"]),
    ("代码,内容,发帖时间\n510300,x,03/04/2015 10:08\n",
     ["line 2, column 发帖时间", "'03/04/2015 10:08'", "2015-04-03 (day/month) or 2015-03-04 (month/day)"]),
    ("代码,内容,发帖时间\n510300,x,25/04/2015\n510300,y,04/26/2015\n", ["line 3, column 发帖时间", "mix day/month"]),
    ("代码,内容,发帖时间\n510300,x,5分钟前\n", ["relative time"]),
])
def test_files_that_cannot_be_read_are_refused_with_the_reason(store: Store, text: str, fragments: list[str]) -> None:
    with pytest.raises(ValidationError) as err:
        imp(store, text.encode())
    for fragment in fragments:
        assert fragment in str(err.value), str(err.value)
    assert stored(store) == []


def test_a_day_month_column_settled_by_one_value_and_cashtags_naming_two_instruments(store: Store) -> None:
    text = ("内容,发帖时间\n"
            "\"$510300$ 和 $贵州茅台$ 一起买\",03/04/2015 10:08\n"
            "\"$510300$ 加仓 #今日复盘#\",25/04/2015 10:08\n")
    result = imp(store, text.encode(), partial=True)
    assert stored(store) == [("510300.SS", "$510300$ 加仓 #今日复盘#", datetime(2015, 4, 25, 2, 8))]
    [row] = report_rows(result)
    assert row["line"] == "2" and "several instruments (510300.SS, 600519.SS)" in row["reason"]


# --------------------------------------------------------------------------- the command

def test_cli_partial_json_and_report(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", str(store.engine.url))
    f = tmp_path / "大盘帖.csv"
    f.write_bytes(INDEX_ROWS.encode("gbk"))
    assert cli.main(["posts", "import", str(f), "--json"]) == 2            # all or nothing
    assert "line 2, column code" in capsys.readouterr().err and stored(store) == []
    assert cli.main(["posts", "import", str(f), "--partial", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    report = tmp_path / "大盘帖.csv.unresolved.csv"
    assert out == {"imported": 2, "duplicates": 0, "unresolved": 7, "report": str(report)}
    lines = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8-sig"))))
    assert [r["line"] for r in lines] == ["2", "3", "4", "5", "6", "7", "10"] and all(r["reason"] for r in lines)
    assert cli.main(["posts", "import", str(f), "--partial", "--report", str(tmp_path / "r.csv")]) == 0
    assert capsys.readouterr().out.strip() == (f"imported 0, duplicates skipped 2, unresolved 7 "
                                               f"(report: {tmp_path / 'r.csv'})")
    assert cli.main(["posts", "import", str(f), "--json"]) == 2
    assert cli.main(["posts", "import", str(f), "--report", "x.csv"]) == 2
    assert "only used with --partial" in capsys.readouterr().err
    assert len(stored(store)) == 2


def test_cashtag_tickers_topics_and_repeated_tags(store: Store) -> None:
    register_instruments(store, [Instrument("SPY", "SPDR标普500ETF", "SPDR S&P 500 ETF Trust", "etf", "US", "USD",
                                            "SPY", "overseas", "XNYS")])
    text = ("内容,发帖时间\n"
            "\"$SPY$ 美股新高 #今日复盘#\",2024-03-01 22:00\n"
            "\"$贵州茅台(SH600519)$ 又见 $贵州茅台(SH600519)$\",2024-03-01 10:00\n"
            "\"$BTC$ 不是本库的品种\",2024-03-01 10:01\n"
            "\"（$华夏成长混合$）基金吧\",2024-03-01 10:02\n")
    result = imp(store, text.encode(), partial=True)
    assert [c for c, _, _ in stored(store)] == ["SPY", "600519.SS", "000001"]
    [row] = report_rows(result)
    assert row["line"] == "4" and row["reason"].startswith("no code") and "$名称(SH600519)$" in row["reason"]
