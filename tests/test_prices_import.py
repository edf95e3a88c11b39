"""Price import (issue 11.2–3): ``python -m socialfund prices import`` and
``services.prices_import`` store the closes of the formats people have under
``file:NAME``, register the codes the universe lacks, store nothing on rejected input, and
``StoreProvider`` serves what was imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from socialfund.core.config import load_settings
from socialfund.core.errors import ValidationError
from socialfund.core.sources import DEMO_PRICE_SOURCE
from socialfund.market.instruments import load_universe
from socialfund.market.registry import register_instruments, stored_universe
from socialfund.market.providers import StoreProvider, get_provider
from socialfund.services.prices_import import import_price_file, prices_fingerprint
from socialfund.store import Store, insert_ignore, open_store, schema
from socialfund.store.demo import table_counts

REPO = Path(__file__).resolve().parent.parent

# NetEase (网易财经) daily export: GBK, codes written '000300, newest first, a suspended day
# written as close 0 on volume 0.
NETEASE = ("日期,股票代码,名称,收盘价,最高价,最低价,开盘价,前收盘,涨跌额,涨跌幅,成交量,成交金额\n"
           "2024-01-04,'600519,贵州茅台,1650.0,1660,1640,1645,1660.5,-10.5,-0.63,100,1.6e8\n"
           "2024-01-03,'600519,贵州茅台,0,0,0,0,1660.5,0,0,0,0\n"
           "2024-01-02,'600519,贵州茅台,1660.5,1670,1650,1655,1650.0,10.5,0.64,120,2.0e8\n").encode("gbk")
# 天天基金 NAV export of fund 000001 (the file name gives the code).
EASTMONEY = ("净值日期,单位净值,累计净值,日增长率,申购状态,赎回状态,分红送配\n"
             "2024-01-02,1.0000,3.5000,0.00%,开放申购,开放赎回,\n"
             "2024-01-03,1.0100,3.5100,1.00%,开放申购,开放赎回,\n").encode("utf-8-sig")
LONG = "date,code,close\n2024-01-02,sh510300,3.50\n2024-01-03,510300.SH,3.60\n2024-01-02,110022,2.0\n" \
       "2024-01-03,110022,2.1\n"


def _store(tmp_path: Path, name: str = "p.db") -> Store:
    return open_store(f"sqlite:///{tmp_path / name}")


def _prices(store: Store) -> list[tuple[str, date, str, float]]:
    p = schema.prices
    with store.read() as conn:
        return [tuple(r) for r in conn.execute(select(p.c.code, p.c.date, p.c.source, p.c.close)
                                               .order_by(p.c.code, p.c.date, p.c.source))]


def test_long_file_variants_resolve_to_the_universe_and_new_codes_are_registered(tmp_path: Path) -> None:
    store = _store(tmp_path)
    register_instruments(store, [i for i in load_universe() if i.code == "510300.SS"])
    result = import_price_file(store, LONG.encode(), "mine.csv")
    assert result.format == "long" and result.codes == ("110022", "510300.SS")
    assert result.registered == ("110022",)           # 510300.SS was known: sh510300 / .SH resolve to it
    assert (result.rows, result.first, result.last, result.gaps) == (4, date(2024, 1, 2), date(2024, 1, 3), 0)
    assert _prices(store) == [("110022", date(2024, 1, 2), "file:mine.csv", 2.0),
                              ("110022", date(2024, 1, 3), "file:mine.csv", 2.1),
                              ("510300.SS", date(2024, 1, 2), "file:mine.csv", 3.5),
                              ("510300.SS", date(2024, 1, 3), "file:mine.csv", 3.6)]
    fund = {i.code: i for i in stored_universe(store)}["110022"]
    assert (fund.kind, fund.market, fund.calendar) == ("fund", "OTC", "XSHG")   # a bare code is a fund


def test_netease_export_registers_the_stock_with_its_name_and_keeps_the_suspension_as_a_gap(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with pytest.raises(ValidationError, match="does not say its exchange"):
        import_price_file(store, NETEASE, "600519.csv")       # '600519 alone: Shanghai or Shenzhen?
    assert _prices(store) == [] and stored_universe(store) == []
    result = import_price_file(store, NETEASE, "600519.csv", code="600519.SS")   # --code qualifies it
    assert result.format == "ohlc" and result.codes == ("600519.SS",) and result.gaps == 1
    assert "600519 read as 600519.SS (--code)" in result.warnings
    assert not any("ignored" in w for w in result.warnings)
    stock = stored_universe(store)[0]
    assert (stock.code, stock.name_zh, stock.kind, stock.market) == ("600519.SS", "贵州茅台", "stock", "SSE")
    assert [r[1] for r in _prices(store)] == [date(2024, 1, 2), date(2024, 1, 4)]   # the gap is not stored


def test_a_nav_export_is_the_funds_own_series_never_a_listing_with_the_same_digits(tmp_path: Path) -> None:
    store = _store(tmp_path)
    register_instruments(store, [i for i in load_universe() if i.code in ("000016.SS", "000300.SS")])
    # the store knows the index 000300.SS; a NAV export of 000300 is still a fund's
    result = import_price_file(store, EASTMONEY, "000300.csv")
    assert result.format == "eastmoney_nav" and result.codes == ("000300",) and result.registered == ("000300",)
    assert {i.code: i.kind for i in stored_universe(store)}["000300"] == "fund"


def test_rows_on_market_holidays_are_counted_not_stored_and_a_jump_after_a_gap_is_caught(tmp_path: Path) -> None:
    store = _store(tmp_path)
    text = ("date,code,close\n2015-01-01,510300.SS,3.50\n2015-01-05,510300.SS,3.50\n2015-01-06,510300.SS,\n"
            "2015-01-07,510300.SS,1.75\n2015-01-08,510300.SS,1.76\n")     # 2015-01-01: no session; a split
    result = import_price_file(store, text.encode(), "holiday.csv")
    assert (result.non_sessions_dropped, result.rows, result.first) == (1, 3, date(2015, 1, 5))
    assert [r[1] for r in _prices(store)] == [date(2015, 1, 5), date(2015, 1, 7), date(2015, 1, 8)]
    assert [(j["code"], j["date"], j["previous_date"], j["suspicion"]) for j in result.jumps] == [
        ("510300.SS", "2015-01-07", "2015-01-05", "split")]               # against the last VALID close
    assert "1 rows on non-sessions dropped, 1 jumps" in result.summary()


def test_the_same_instrument_written_twice_and_ambiguous_codes_are_refused(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with pytest.raises(ValidationError, match="'510300.SH' and 'sh510300' are the same instrument 510300.SS, both on 2024-01-02"):
        import_price_file(store, b"date,code,close\n2024-01-02,sh510300,3.5\n2024-01-02,510300.SH,3.5\n", "twice.csv")
    register_instruments(store, [i for i in load_universe() if i.code == "000001"])
    import_price_file(store, b"date,code,close\n2024-01-02,sh000001,3000\n", "index.csv")
    with pytest.raises(ValidationError, match=r"000001 \(fund\), 000001.SS \(index\)"):
        import_price_file(store, b"date,code,close\n2024-01-03,000001,1.1\n", "which.csv")


def test_a_rejected_file_stores_nothing_not_even_its_new_instruments(tmp_path: Path) -> None:
    store = _store(tmp_path)
    import_price_file(store, LONG.encode(), "mine.csv")
    before = (table_counts(store), _prices(store), stored_universe(store))
    bad = "date,code,close\n2024-01-04,510500.SS,5.0\n2024-01-05,510500.SS,abc\n"
    with pytest.raises(ValidationError) as err:
        import_price_file(store, bad.encode(), "mine.csv")
    assert "line 3" in str(err.value) and "close" in str(err.value)
    assert (table_counts(store), _prices(store), stored_universe(store)) == before


def test_importing_a_file_again_replaces_what_it_stored_and_later_imports_win(tmp_path: Path) -> None:
    store = _store(tmp_path)
    import_price_file(store, LONG.encode(), "mine.csv")
    first = prices_fingerprint(store)
    import_price_file(store, b"date,code,close\n2024-01-03,110022,2.2\n", "mine.csv")    # a corrected export
    assert prices_fingerprint(store) != first          # the app's caches of the store's prices miss
    assert [r for r in _prices(store) if r[0] == "110022"] == [("110022", date(2024, 1, 3), "file:mine.csv", 2.2)]
    import_price_file(store, b"date,code,close\n2024-01-03,510300.SS,3.7\n2024-01-04,510300.SS,3.8\n", "newer.csv")
    data = StoreProvider(store).closes(["510300.SS"])
    assert data.closes["510300.SS"].tolist() == [3.5, 3.7, 3.8]       # the later file wins on 2024-01-03
    assert data.sources == {"510300.SS": "file:mine.csv+file:newer.csv"}


def test_store_provider_serves_imported_prices_demo_for_the_rest_labelled_and_the_stored_universe(
        tmp_path: Path) -> None:
    store = _store(tmp_path)
    provider = StoreProvider(store)
    empty = provider.closes()
    assert empty.closes.empty and "prices import" in empty.notices[0]
    register_instruments(store, [i for i in load_universe() if i.code in ("510300.SS", "159915.SZ")])
    with store.write() as conn:
        insert_ignore(conn, schema.prices, [
            {"code": c, "date": date(2024, 1, 2), "source": DEMO_PRICE_SOURCE, "close": 9.0, "fetched_at": None}
            for c in ("510300.SS", "159915.SZ")])
    import_price_file(store, LONG.encode(), "mine.csv")
    data = provider.closes()
    assert data.sources == {"110022": "file:mine.csv", "159915.SZ": DEMO_PRICE_SOURCE, "510300.SS": "file:mine.csv"}
    assert data.closes["510300.SS"].tolist() == [3.5, 3.6]            # never mixed with the demo's 9.0
    assert data.is_demo
    assert [i.code for i in provider.universe()] == ["110022", "159915.SZ", "510300.SS"]
    assert provider.closes(["110022"], start=date(2024, 1, 3)).closes["110022"].tolist() == [2.1]
    missing = provider.closes(["USDCNY"])
    assert missing.closes.empty and "for USDCNY" in missing.notices[0]


def test_the_store_provider_is_the_default_when_the_demo_is_declined(tmp_path: Path) -> None:
    env = {"SOCIALFUND_DATA_DIR": str(tmp_path), "SOCIALFUND_DEMO": "0"}
    settings = load_settings(env)
    assert settings.market_provider == "store"
    assert load_settings({**env, "SOCIALFUND_DEMO": "1"}).market_provider == "demo"
    assert load_settings({**env, "SOCIALFUND_MARKET_PROVIDER": "demo"}).market_provider == "demo"
    assert isinstance(get_provider(settings, _store(tmp_path)), StoreProvider)


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOCIALFUND_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "SOCIALFUND_DEMO": "0"}
    env.pop("SOCIALFUND_MARKET_PROVIDER", None)
    return subprocess.run([sys.executable, "-m", "socialfund", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)


def test_cli_json_object_then_market_check_serves_it_and_a_rejection_is_one_line_exit_2(tmp_path: Path) -> None:
    netease = tmp_path / "maotai.csv"
    netease.write_bytes(NETEASE)
    done = _cli(tmp_path, "prices", "import", str(netease), "--code", "sh600519", "--json")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert set(record) >= {"file", "format", "rows", "codes", "first", "last", "gaps", "non_sessions_dropped",
                           "jumps", "warnings"}
    assert (record["file"], record["format"], record["rows"], record["codes"], record["first"], record["last"],
            record["gaps"], record["non_sessions_dropped"], record["jumps"]) == (
        "maotai.csv", "ohlc", 2, ["600519.SS"], "2024-01-02", "2024-01-04", 1, 0, [])
    check = _cli(tmp_path, "market", "check", "--json")
    assert check.returncode == 0, check.stderr
    summary = json.loads(check.stdout)
    assert (summary["provider"], summary["instruments"], summary["sources"]) == ("store", 1, ["file:maotai.csv"])

    bad = tmp_path / "bad.csv"
    bad.write_text("when,what\n2024-01-02,3.5\n", encoding="utf-8")
    refused = _cli(tmp_path, "prices", "import", str(bad))
    assert refused.returncode == 2 and refused.stdout == ""
    lines = refused.stderr.splitlines()
    assert len(lines) == 1 and "bad.csv, line 1" in lines[0] and "date,code,close" in lines[0]
    plain = tmp_path / "110022.csv"
    plain.write_text("date,close\n2024-01-02,2.0\n2024-01-03,2.1\n", encoding="utf-8")
    line = _cli(tmp_path, "prices", "import", str(plain))
    assert line.returncode == 0 and len(line.stdout.splitlines()) == 1
    assert line.stdout.startswith("imported 2 prices of 1 codes (110022, 1 new to the universe)")
