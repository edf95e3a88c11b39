"""Post import (malformed inputs leave the store unchanged), the score cache and the
per-session aggregation (after-close → next session, bullishness, past-only z-score,
no look-ahead)."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import json
import math
import random
import zipfile
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from socialfund.io import posts_file
from socialfund.services import posts as P

from socialfund.services import scores
from socialfund.social import aggregate
from socialfund.social import keywords
from socialfund.core.errors import ValidationError
from socialfund.io.exports import to_safe_csv
from socialfund.sentiment import SentimentResult, get_scorer
from socialfund.store import open_store, schema
from socialfund.store.engine import insert_ignore

NOW = datetime(2024, 6, 1, 0, 0, 0)  # naive UTC "now" for the future-date rule
HEADER = "code,text,published_at,author,reads,comments,url\n"
INSTRUMENTS = [
    ("510300.SS", "华泰柏瑞沪深300ETF", "SSE"), ("159915.SZ", "易方达创业板ETF", "SZSE"),
    ("110022", "易方达消费行业股票", "OTC"), ("000001", "华夏成长混合", "OTC"),
    ("123456.SS", "歧义A", "SSE"), ("123456.SZ", "歧义B", "SZSE"), ("SPY", "SPDR标普500ETF", "US"),
]


@pytest.fixture()
def store(tmp_path):  # type: ignore[no-untyped-def]
    s = open_store(f"sqlite:///{tmp_path}/x.db")
    with s.write() as conn:
        insert_ignore(conn, schema.instruments, [
            {"code": c, "name_zh": n, "name_en": c, "kind": "etf", "market": m, "currency": "CNY",
             "yahoo": None, "category": "broad", "calendar": "XNYS" if m == "US" else "XSHG"}
            for c, n, m in INSTRUMENTS])
    # one existing post, so "unchanged" is checked against a non-empty table
    P.import_posts(s, (HEADER + "510300.SS,已有的帖子,2024-01-02T10:00:00+08:00,a,1,0,\n").encode(), "seed.csv",
                   source="seed", now_utc=NOW)
    return s


def dump(store) -> str:  # type: ignore[no-untyped-def]
    """A hash of every post and score row: equal before and after means unchanged."""
    digest = hashlib.sha256()
    with store.read() as conn:
        for table in (schema.posts, schema.post_scores):
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def imp(store, data: bytes, name: str = "posts.csv", **kw):  # type: ignore[no-untyped-def]
    return P.import_posts(store, data, name, source=kw.pop("source", "test"), now_utc=NOW, **kw)


def rejected(store, data: bytes, name: str = "posts.csv") -> ValidationError:  # type: ignore[no-untyped-def]
    before = dump(store)
    with pytest.raises(ValidationError) as info:
        imp(store, data, name)
    assert dump(store) == before, "a rejected file changed the store"
    assert "\n" not in str(info.value), "the message must be one line"
    return info.value


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(r + "\n" for r in rows)).encode("utf-8")


GOOD = "510300.SS,今天大涨，利好,2024-01-03T10:00:00+08:00,alice,120,3,"


# --------------------------------------------------------------------------- malformed

def _deep_json() -> bytes:
    return ("[" * 100_000 + "]" * 100_000).encode()


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("posts.csv", "0" * 10_000_000)
    return buf.getvalue()


MALFORMED = [
    ("missing column", csv_bytes("510300.SS,hi", header="code,text\n"), ["published_at", "line 1"]),
    ("ragged row", csv_bytes(GOOD, GOOD + ",extra"), ["line 3", "expected 7 fields", "found 8"]),
    ("empty file", b"", ["posts.csv", "empty"]),
    ("whitespace only", b"  \n\r\n ", ["empty"]),
    ("header only", csv_bytes(), ["header but no posts"]),
    ("json object", json.dumps({"posts": [{"code": "510300.SS"}]}, indent=2).encode(), ["JSON object", "list"]),
    ("json one-line object", b'{"posts": []}', ["JSON object"]),
    ("deep json", _deep_json(), ["nested too deeply"]),
    ("nested value", json.dumps([{"code": {"a": {"b": 1}}, "text": "x", "published_at": "2024-01-03"}]).encode(),
     ["line 1", "column code", "nested"]),
    ("png renamed .csv", b"\x89PNG\r\n\x1a\n" + bytes(200), ["PNG image"]),
    ("gzip bomb", gzip.compress(b"0" * 50_000_000), ["gzip", "never expanded"]),
    ("zip bomb", _zip(), ["zip archive", "never expanded"]),
    ("utf-16", (HEADER + GOOD + "\n").encode("utf-16"), ["unsupported encoding"]),
    ("utf-16 without bom", (HEADER + GOOD + "\n").encode("utf-16-le"), ["unsupported encoding"]),
    ("big5", (HEADER + "510300.SS,這隻基金會漲嗎？繁體中文測試，買進還是賣出,2024-01-03T10:00:00+08:00,a,1,1,\n")
     .encode("big5"), ["unsupported encoding"]),
    ("random bytes", random.Random(0).randbytes(4096), ["unsupported encoding"]),
    ("unknown code", csv_bytes(GOOD, GOOD.replace("510300.SS", "999999")), ["line 3", "column code", "unknown code"]),
    ("code read as a number", csv_bytes("1,hi,2024-01-03T10:00:00+08:00,,,,"), ["column code", "'000001'"]),
    ("ambiguous code", csv_bytes("123456,hi,2024-01-03T10:00:00+08:00,,,,"), ["ambiguous", "column code"]),
    ("ambiguous non-iso date", csv_bytes("510300.SS,hi,03/01/2024 10:00,,,,"),
     ["line 2", "column published_at", "ambiguous", "2024-01-03 (day/month) or 2024-03-01 (month/day)", "ISO"]),
    ("impossible date", csv_bytes("510300.SS,hi,2024-02-30T10:00:00,,,,"), ["column published_at", "impossible"]),
    ("future date", csv_bytes(GOOD, "510300.SS,hi,2024-06-02T10:00:00+08:00,,,,"), ["line 3", "future"]),
    ("negative reads", csv_bytes("510300.SS,hi,2024-01-03T10:00:00+08:00,a,-5,,"), ["column reads", ">= 0"]),
    ("text reads", csv_bytes("510300.SS,hi,2024-01-03T10:00:00+08:00,a,lots,,"), ["column reads"]),
    ("jsonl bad line", b'{"code":"510300.SS","text":"a","published_at":"2024-01-03"}\n{"code": oops}\n',
     ["line 2", "invalid JSON"]),
    ("json list missing key", json.dumps([{"code": "510300.SS", "text": "a", "published_at": "2024-01-03"},
                                          {"code": "510300.SS", "text": "b"}], indent=1).encode(),
     ["line 7", "published_at"]),
    ("json list element not object", b'[\n{"code":"510300.SS","text":"a","published_at":"2024-01-03"},\n 5\n]',
     ["line 3", "object"]),
    ("duplicate header", csv_bytes("510300.SS,a,2024-01-03,x", header="code,text,published_at,text\n"),
     ["appears twice"]),
]


@pytest.mark.parametrize("case,data,expected", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_input_is_rejected_with_its_place_and_the_store_is_unchanged(store, case, data, expected):  # type: ignore[no-untyped-def]
    err = rejected(store, data)
    for part in expected:
        assert part in str(err), f"{case}: {part!r} not in {str(err)!r}"


def test_file_over_the_size_cap_is_refused_before_parsing(store) -> None:  # type: ignore[no-untyped-def]
    data = b"\xff" * (posts_file.MAX_IMPORT_BYTES + 1)  # undecodable: only the size check can name it
    err = rejected(store, data)
    assert "limit is 20 MB" in str(err)


def test_path_like_file_names_are_labels_only(store) -> None:  # type: ignore[no-untyped-def]
    err = rejected(store, b"", name="../../etc/passwd")
    assert str(err).startswith("passwd:") and "/" not in str(err)
    assert posts_file.file_label("C:\\Users\\x\\posts\x07.csv") == "posts.csv"


def test_demo_source_name_is_reserved(store) -> None:  # type: ignore[no-untyped-def]
    before = dump(store)
    with pytest.raises(ValidationError, match="reserved"):
        P.import_posts(store, csv_bytes(GOOD), "x.csv", source="demo", now_utc=NOW)
    assert dump(store) == before


# --------------------------------------------------------------------------- accepted

def stored_posts(store) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return P.load_posts(store, sources=["test"])


def test_gbk_file_with_chinese_text_is_decoded_intact(store) -> None:  # type: ignore[no-untyped-def]
    text = "贵州茅台和白酒ETF都涨了，利好！"
    data = (HEADER + f"510300.SS,{text},2024-01-03T10:00:00+08:00,老股民,5,1,\n").encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really GBK
    result = imp(store, data)
    assert result.imported == 1
    row = stored_posts(store).iloc[0]
    assert row["text"] == text and row["author"] == "老股民"


def test_utf8_bom_header_is_not_mangled(store) -> None:  # type: ignore[no-untyped-def]
    data = codecs.BOM_UTF8 + csv_bytes(GOOD)
    assert imp(store, data).imported == 1
    assert stored_posts(store).iloc[0]["code"] == "510300.SS"


def test_json_list_and_jsonl_are_detected_by_content_not_name(store) -> None:  # type: ignore[no-untyped-def]
    records = [{"code": "510300", "text": "JSON 帖子 😀", "published_at": "2024-01-03T10:00:00+08:00", "reads": 7},
               {"code": 159915, "text": "第二条", "published_at": "2024-01-03T11:00:00+08:00", "url": "http://x"}]
    r1 = imp(store, json.dumps(records, ensure_ascii=False).encode(), name="posts.csv")   # JSON named .csv
    assert (r1.imported, r1.duplicates) == (2, 0)
    jsonl = "\n".join(json.dumps({**r, "text": r["text"] + " (jsonl)"}, ensure_ascii=False) for r in records)
    r2 = imp(store, jsonl.encode(), name="posts.txt")
    assert (r2.imported, r2.duplicates) == (2, 0)
    df = stored_posts(store)
    assert set(df["code"]) == {"510300.SS", "159915.SZ"}  # bare 6-digit codes completed
    assert "JSON 帖子 😀" in set(df["text"])
    assert any("exchange suffix" in w for w in r1.warnings)


def test_duplicates_are_skipped_and_the_same_file_twice_adds_nothing(store) -> None:  # type: ignore[no-untyped-def]
    data = csv_bytes(GOOD, GOOD, "110022,另一条,2024-01-03T10:00:00+08:00,,,,")
    first = imp(store, data)
    assert (first.imported, first.duplicates) == (2, 1)
    before = dump(store)
    second = imp(store, data)
    assert (second.imported, second.duplicates) == (0, 3)
    assert dump(store) == before


def test_naive_times_are_shanghai_and_offsets_are_normalised(store) -> None:  # type: ignore[no-untyped-def]
    data = csv_bytes("510300.SS,同一条,2024-01-03T10:00:00,,,,",        # naive → Shanghai
                     "510300.SS,同一条,2024-01-03T02:00:00Z,,,,",        # the same instant in UTC
                     "510300.SS,同一条,2024-01-03 11:00:00+09:00,,,,",   # and in Tokyo
                     "510300.SS,只有日期,2024-01-03,,,,")
    result = imp(store, data)
    assert (result.imported, result.duplicates) == (2, 2)
    assert any("Asia/Shanghai" in w for w in result.warnings)
    assert any("23:59:59" in w for w in result.warnings)
    times = dict(zip(stored_posts(store)["text"], stored_posts(store)["published_at"]))
    assert times["同一条"] == pd.Timestamp("2024-01-03 02:00:00")
    assert times["只有日期"] == pd.Timestamp("2024-01-03 15:59:59")  # 23:59:59 Shanghai


def test_html_and_formulas_are_stored_verbatim_and_exported_safely(store) -> None:  # type: ignore[no-untyped-def]
    texts = ['<script>alert("x")</script>', "<img src=x onerror=alert(1)>", '=HYPERLINK("http://evil","点我")',
             "+1+1", "-2+3", "@SUM(A1)", "   ", "😀😀"]
    records = [{"code": "510300.SS", "text": t, "published_at": f"2024-01-03T10:0{i}:00+08:00"}
               for i, t in enumerate(texts)]
    result = imp(store, json.dumps(records).encode())
    assert result.imported == len(texts)
    df = stored_posts(store)
    assert set(df["text"]) == set(texts)
    csv_text = to_safe_csv(df[["text", "reads"]].assign(delta=-0.25)).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+1+1" in csv_text and "'-2+3" in csv_text and "'@SUM(A1)" in csv_text
    assert ",-0.25" in csv_text, "a numeric column stays a number"
    assert to_safe_csv(df).startswith(codecs.BOM_UTF8)


def test_a_one_megabyte_post_is_capped_with_a_warning(store) -> None:  # type: ignore[no-untyped-def]
    big = "涨" * 1_000_000
    result = imp(store, json.dumps([{"code": "510300.SS", "text": big, "published_at": "2024-01-03"}]).encode())
    assert result.imported == 1
    assert any("first 10,000 characters" in w for w in result.warnings)
    assert stored_posts(store).iloc[0]["text"] == "涨" * posts_file.MAX_POST_CHARS


def test_extra_columns_are_ignored_with_a_warning(store) -> None:  # type: ignore[no-untyped-def]
    data = csv_bytes("1,510300.SS,hi,2024-01-03T10:00:00+08:00,x", header="post_id,code,text,published_at,mood\n")
    result = imp(store, data)
    assert result.imported == 1
    assert result.warnings and "post_id" in result.warnings[0] and "mood" in result.warnings[0]


def test_import_of_many_rows_is_one_transaction(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A failure during the insert (after validation) rolls back every row."""
    rows = [f"510300.SS,帖子{i},2024-01-03T10:00:00+08:00,,,," for i in range(5000)]
    before = dump(store)
    calls = {"n": 0}
    real = P.insert_ignore

    def failing(conn, table, batch):  # type: ignore[no-untyped-def]
        real(conn, table, batch[:2500])
        calls["n"] += 1
        raise RuntimeError("disk full")

    monkeypatch.setattr(P, "insert_ignore", failing)
    with pytest.raises(RuntimeError):
        imp(store, csv_bytes(*rows))
    assert calls["n"] == 1 and dump(store) == before


# --------------------------------------------------------------------------- score cache

class CountingScorer:
    name = "counting"

    def __init__(self, version: str = "count-1") -> None:
        self.version = version
        self.calls = 0
        self.texts = 0
        self.inner = get_scorer("finance")

    def score_many(self, texts):  # type: ignore[no-untyped-def]
        self.calls += 1
        self.texts += len(texts)
        return self.inner.score_many(texts)


def test_score_cache_scores_each_text_once_per_scorer_version(store) -> None:  # type: ignore[no-untyped-def]
    imp(store, csv_bytes(GOOD, "159915.SZ,今天大涨，利好,2024-01-03T10:00:00+08:00,,,,",   # same text, other fund
                         "110022,割肉了，亏麻了,2024-01-03T10:00:00+08:00,,,,", "110022,   ,2024-01-04,,,,"))
    scorer = CountingScorer()
    seen = []
    n = scores.score_posts(store, scorer, progress=lambda d, t: seen.append((d, t)), batch_size=2)
    assert n == 4  # 5 posts, 4 distinct texts (one seed post + 3 new distinct)
    assert scorer.texts == 4 and seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert scores.score_posts(store, scorer) == 0
    assert scorer.calls == 2, "re-scoring unchanged posts must not call the scorer"
    scored = scores.scored_posts(store, scorer.version)
    assert scored["score"].notna().sum() == 4
    blank = scored[scored["text"] == "   "].iloc[0]
    assert math.isnan(blank["score"]) and blank["reason"] == "whitespace"
    other = CountingScorer("count-2")
    assert scores.score_posts(store, other) == 4 and other.texts == 4



def test_unscored_count_and_scores_fingerprint_follow_the_score_cache(store) -> None:  # type: ignore[no-untyped-def]
    scorer = CountingScorer()
    imp(store, csv_bytes(GOOD, "159915.SZ,今天大涨，利好,2024-01-03T10:00:00+08:00,,,,",   # same text, other fund
                         "110022,割肉了，亏麻了,2024-01-03T10:00:00+08:00,,,,"), source="mine")
    before = scores.scores_fingerprint(store, scorer.version)
    assert scores.unscored_count(store, scorer.version, None, ["mine"]) == 2            # distinct texts
    assert scores.unscored_count(store, scorer.version, ["110022"]) == 1
    assert scores.unscored_count(store, scorer.version, None, ["no-such-source"]) == 0
    assert scores.score_posts(store, scorer, ["110022"]) == 1
    assert scores.scores_fingerprint(store, scorer.version) == before + 1
    assert scores.unscored_count(store, scorer.version, ["110022"]) == 0
    assert scores.unscored_count(store, scorer.version, None, ["mine"]) == 1
    n = scores.score_posts(store, scorer)
    assert n == scores.unscored_count(store, "another-version") - 1 and n >= 1
    assert scores.unscored_count(store, scorer.version) == 0
    assert scores.scores_fingerprint(store, scorer.version) == before + 1 + n


def test_posts_per_fund_counts_by_source_most_first(store) -> None:  # type: ignore[no-untyped-def]
    imp(store, csv_bytes(GOOD, "110022,割肉了,2024-01-03T10:00:00+08:00,,,,",
                         "110022,再割一次,2024-01-04T10:00:00+08:00,,,,"), source="mine")
    counts = P.posts_per_fund(store, ["mine"])
    assert list(counts.index) == ["110022", "510300.SS"] and list(counts) == [2, 1]
    assert P.posts_per_fund(store, ["no-such-source"]).empty


# --------------------------------------------------------------------------- aggregation

SESSIONS = pd.bdate_range("2024-01-01", "2024-04-30").drop(pd.Timestamp("2024-02-12"))  # a holiday Monday


def post_frame(rows: list[tuple[str, str, float | None, int | None]]) -> pd.DataFrame:
    """(code, Shanghai local time, score, reads) → the frame daily_sentiment expects."""
    df = pd.DataFrame(rows, columns=["code", "local", "score", "reads"])
    local = pd.to_datetime(df["local"]).dt.tz_localize("Asia/Shanghai")
    df["published_at"] = local.dt.tz_convert("UTC").dt.tz_localize(None)
    df["label"] = [None if s is None or s != s else ("pos" if s > 0.6 else "neg" if s < 0.4 else "neu")
                   for s in df["score"]]
    df["text"] = [f"t{i}" for i in range(len(df))]
    return df.drop(columns="local")


def test_posts_after_the_close_or_on_days_off_count_for_the_next_session() -> None:
    df = post_frame([("A", "2024-01-05 14:59:59", 0.9, 1),    # Friday before close → Friday
                     ("A", "2024-01-05 15:00:00", 0.9, 1),    # at the close → Monday
                     ("A", "2024-01-06 11:00:00", 0.9, 1),    # Saturday → Monday
                     ("A", "2024-02-09 20:00:00", 0.9, 1),    # Friday evening before a holiday Monday → Tuesday
                     ("A", "2024-01-08 00:30:00", 0.9, 1)])   # Monday 00:30 Shanghai (Sunday UTC) → Monday
    tagged = aggregate.with_sessions(df, {"A": SESSIONS})
    assert list(tagged["session"].dt.strftime("%Y-%m-%d")) == [
        "2024-01-05", "2024-01-08", "2024-01-08", "2024-02-13", "2024-01-08"]


def test_us_calendar_uses_the_new_york_close() -> None:
    # 2024-01-05 20:30 UTC = 15:30 New York (before the 16:00 close) = 04:30 Saturday in Shanghai
    df = pd.DataFrame({"code": ["SPY"], "published_at": [pd.Timestamp("2024-01-05 20:30")], "score": [0.7],
                       "label": ["pos"], "reads": [1], "text": ["x"]})
    tagged = aggregate.with_sessions(df, {"SPY": SESSIONS}, {"SPY": "XNYS"})
    assert tagged["session"].iloc[0] == pd.Timestamp("2024-01-05")


def test_session_figures_bullishness_share_and_reads_weighted_mean() -> None:
    df = post_frame([("A", "2024-01-03 10:00", 0.9, 9), ("A", "2024-01-03 10:01", 0.8, 0),
                     ("A", "2024-01-03 10:02", 0.7, None), ("A", "2024-01-03 10:03", 0.1, 19),
                     ("A", "2024-01-03 10:04", 0.5, 0), ("A", "2024-01-03 10:05", None, 0)])
    daily = aggregate.daily_sentiment(df, {"A": SESSIONS})
    row = daily.iloc[0]
    assert (row["n_posts"], row["n_scored"], row["n_bull"], row["n_bear"]) == (6, 5, 3, 1)
    assert row["mean_score"] == pytest.approx((0.9 + 0.8 + 0.7 + 0.1 + 0.5) / 5)
    assert row["share_bull"] == pytest.approx(3 / 5)
    assert row["bullishness"] == pytest.approx(math.log(4 / 2))
    weights = np.array([10, 1, 1, 20, 1])
    assert row["reads_weighted"] == pytest.approx(np.dot(weights, [0.9, 0.8, 0.7, 0.1, 0.5]) / weights.sum())


def test_zero_post_sessions_are_kept_between_first_and_last_post() -> None:
    df = post_frame([("A", "2024-01-02 10:00", 0.9, 1), ("A", "2024-01-05 10:00", 0.2, 1)])
    daily = aggregate.daily_sentiment(df, {"A": SESSIONS})
    assert list(daily["n_posts"]) == [1, 0, 0, 1] and daily["mean_score"].isna().sum() == 2


def test_z_score_uses_only_the_previous_20_sessions() -> None:
    rng = np.random.default_rng(3)
    sessions = SESSIONS[:40]
    scores = rng.uniform(0.2, 0.8, len(sessions))
    df = post_frame([("A", f"{d.date()} 10:00", float(s), 1) for d, s in zip(sessions, scores)])
    daily = aggregate.daily_sentiment(df, {"A": sessions}).set_index("session")
    for t in (10, 20, 25, 39):
        past = scores[max(0, t - 20):t]
        expected = (scores[t] - past.mean()) / past.std(ddof=1)
        assert daily["z"].iloc[t] == pytest.approx(expected)
    assert daily["z"].iloc[:10].isna().all(), "fewer than 10 past sessions: no z-score"
    # a shock makes an alert, and the shock session itself is not in its own baseline
    shock = post_frame([("A", f"{d.date()} 10:00", 0.5 + 0.01 * (i % 3), 1) for i, d in enumerate(sessions[:30])]
                       + [("A", f"{sessions[30].date()} 10:00", 1.0, 1)])
    z = aggregate.daily_sentiment(shock, {"A": sessions})
    assert z["alert"].iloc[30] == "extreme" and (z["alert"].iloc[:30] == "").all()


def test_no_look_ahead_posts_after_t_leave_every_figure_at_t_unchanged() -> None:
    rng = np.random.default_rng(7)
    base_times = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.uniform(0, 80 * 86400, 400), unit="s")
    rows = [(c, str(ts), float(s), int(r)) for c, ts, s, r in zip(
        rng.choice(["A", "B"], 400), base_times, rng.uniform(0, 1, 400), rng.integers(0, 500, 400))]
    df = post_frame(rows)
    sessions = {"A": SESSIONS, "B": SESSIONS}
    t = pd.Timestamp("2024-02-20")
    cutoff_utc = pd.Timestamp("2024-02-20 07:00")  # 15:00 Shanghai on t: later posts act after t
    early = df[df["published_at"] < cutoff_utc]
    late_rows = [(c, str(ts), float(s), 1) for c, ts, s in zip(
        rng.choice(["A", "B"], 200), pd.Timestamp("2024-02-20 15:00") + pd.to_timedelta(
            rng.uniform(0, 60 * 86400, 200), unit="s"), rng.uniform(0, 1, 200))]
    full = pd.concat([early, post_frame(late_rows)], ignore_index=True)
    a = aggregate.daily_sentiment(early, sessions)
    b = aggregate.daily_sentiment(full, sessions)
    a_t = a[a["session"] <= t].reset_index(drop=True)
    b_t = b[b["session"] <= t].reset_index(drop=True)
    assert len(a_t) > 50
    pd.testing.assert_frame_equal(a_t, b_t)


def test_weekly_table_top_posts_and_keywords() -> None:
    df = post_frame([("A", "2024-01-02 10:00", 0.9, 5), ("A", "2024-01-03 10:00", 0.7, 50),
                     ("B", "2024-01-09 10:00", 0.1, 1), ("A", "2024-01-10 10:00", 0.3, 1)])
    df["text"] = ["沪深300ETF 主力 吸筹 利好 加仓", "利好 加仓 今天 基金", "割肉 套牢 亏损", "套牢 回本"]
    tagged = aggregate.with_sessions(df, {"A": SESSIONS, "B": SESSIONS})
    table = aggregate.weekly_table(tagged)
    assert table.loc["A", pd.Timestamp("2024-01-01")] == pytest.approx(0.8)
    assert table.loc["A", pd.Timestamp("2024-01-08")] == pytest.approx(0.3)
    assert math.isnan(table.loc["B", pd.Timestamp("2024-01-01")])
    assert list(aggregate.top_posts(tagged, positive=True, n=2)["score"]) == [0.9, 0.7]
    assert aggregate.top_posts(tagged, positive=False, n=1)["score"].iloc[0] == 0.1
    kw = keywords.keywords_by_period(tagged, freq="W", top_k=5, stop_words={"沪深300etf"})
    words = set(kw["keyword"])
    assert {"利好", "加仓"} <= words and {"今天", "基金", "沪深300etf", "沪深300ETF"}.isdisjoint(words)
    assert set(kw["period"]) == {pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-08")}


def test_finance_scorer_scores_every_demo_post(demo_store) -> None:  # type: ignore[no-untyped-def]
    """Every demo post gets a result (its speed is measured by benchmarks/library_speed.py,
    not asserted here: a timed test fails on a busy machine)."""
    posts = P.load_posts(demo_store)
    assert len(posts) >= 19_000
    scorer = get_scorer("finance")
    texts = list(dict.fromkeys(posts["text"]))
    results = scorer.score_many(texts)
    assert len(results) == len(texts) and all(isinstance(r, SentimentResult) for r in results)
    assert {r.label for r in results if r.score is not None} == {"neg", "neu", "pos"}
