"""Stored sentiment sums (``schema.post_day_sums``, ``schema.score_day_sums``), kept up to date
by the writes that change them, so no page has to scan every post.

Every write that changes which posts count or what their scores are calls one of these in
ITS OWN transaction: an import and a written post (``apply_posts`` +1), a status change
into or out of "visible" (``apply_posts`` ±1), a batch of stored scores (``apply_scores``).
Keys are (fund, post source, counts-from day) and, for scores, the scorer version; the day
is ``core.post_days.counts_from_days`` (the one no-look-ahead rule), not yet a session:
``social.aggregate.daily_from_sums`` moves it onto the fund's calendar when it is read, so
prices imported later need no rebuild. Every column is a plain sum, so adding and removing
posts is exact for the counts (float sums drift by rounding only).

``ensure_built`` is the one-off migration of a store made before the sums existed: it fills
``posts.text_hash`` where missing and builds the sums from every counted post.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table, bindparam, delete, func, insert, inspect, select, update

from socialfund.core.hashing import text_hash
from socialfund.core.post_days import counts_from_days
from socialfund.store import schema
from socialfund.store.counted import aggregate_clause

SUMS_KEY = "sentiment_sums_version"   # meta key: the sums were built for this layout
SUMS_VERSION = "1"
CHUNK = 500                           # rows per IN (...) list
WRITE_CHUNK = 2_000                   # rows per executemany
REBUILD_CHUNK = 50_000                # posts read at a time by ``rebuild``

POST_SUMS = ("n_posts", "n_tag_bull", "n_tag_bear")
SCORE_SUMS = ("n_cached", "n_scored", "n_pos", "n_neg", "score_sum", "sw", "w")
#: ``day_sums`` columns; the names of ``social.aggregate.SUM_COLUMNS`` where they mean the same
DAY_COLUMNS = ["code", "day", "n_posts", "n_tag_bull", "n_tag_bear", "n_scored", "n_bull", "n_bear",
               "score_sum", "sw", "w"]


class PostFacts(NamedTuple):
    """What the sums need of one post."""

    code: str
    source: str
    published_at: datetime      # naive UTC
    reads: int | None
    text_hash: str
    self_tag: str | None        # 'bull' | 'bear' | None (imported posts: None)


# ------------------------------------------------------------------------------- writing

def apply_posts(conn: Connection, posts: Sequence[PostFacts], sign: int) -> None:
    """Add (``sign`` +1) or remove (−1) ``posts`` from the sums, with the cached scores of
    their texts for every scorer version, in the caller's transaction."""
    if not posts:
        return
    days = _days(conn, posts)
    counted: dict[tuple[str, str, date], list[int]] = {}
    for p, d in zip(posts, days):
        acc = counted.setdefault((p.code, p.source, d), [0, 0, 0])
        acc[0] += 1
        acc[1] += p.self_tag == "bull"
        acc[2] += p.self_tag == "bear"
    _add(conn, schema.post_day_sums, [{"code": k[0], "source": k[1], "day": k[2],
                                       **{c: sign * v for c, v in zip(POST_SUMS, acc)}}
                                      for k, acc in counted.items()], POST_SUMS)
    cached = _cached_scores(conn, {p.text_hash for p in posts})
    scored: dict[tuple[str, str, str, date], list[float]] = {}
    for p, d in zip(posts, days):
        for version, score, label in cached.get(p.text_hash, ()):
            _add_score(scored, (version, p.code, p.source, d), score, label, p.reads)
    _add(conn, schema.score_day_sums, _score_rows(scored, sign), SCORE_SUMS)
    if sign < 0:
        _drop_empty(conn, schema.post_day_sums, "n_posts", [dict(zip(("code", "source", "day"), k)) for k in counted])
        _drop_empty(conn, schema.score_day_sums, "n_cached",
                    [dict(zip(("scorer_version", "code", "source", "day"), k)) for k in scored])


def apply_scores(conn: Connection, version: str, new: Mapping[str, tuple[float | None, str | None]]) -> None:
    """Add newly stored scores of ``version`` (text hash → (score, label)) to the sums of every
    counted post with that text, in the caller's transaction (call it only for score rows
    this transaction inserted, or they count twice)."""
    if not new:
        return
    p = schema.posts
    hashes = list(new)
    posts: list[PostFacts] = []
    for i in range(0, len(hashes), CHUNK):
        posts.extend(PostFacts(str(r[0]), str(r[1]), r[2], r[3], str(r[4]), None) for r in conn.execute(
            select(p.c.code, p.c.source, p.c.published_at, p.c.reads, p.c.text_hash)
            .where(p.c.text_hash.in_(hashes[i:i + CHUNK]), aggregate_clause(p))))
    if not posts:
        return
    scored: dict[tuple[str, str, str, date], list[float]] = {}
    for post, d in zip(posts, _days(conn, posts)):
        score, label = new[post.text_hash]
        _add_score(scored, (version, post.code, post.source, d), score, label, post.reads)
    _add(conn, schema.score_day_sums, _score_rows(scored, 1), SCORE_SUMS)


def facts_of(conn: Connection, post_ids: Iterable[int]) -> list[PostFacts]:
    """``PostFacts`` of stored posts by id (self-tag from their discussion row, if any)."""
    p, d = schema.posts, schema.discussion_posts
    ids = [int(i) for i in post_ids]
    out: list[PostFacts] = []
    for i in range(0, len(ids), CHUNK):
        out.extend(_facts(conn.execute(
            select(p.c.code, p.c.source, p.c.published_at, p.c.reads, p.c.text_hash, p.c.text, d.c.self_tag)
            .outerjoin(d, d.c.post_id == p.c.id).where(p.c.id.in_(ids[i:i + CHUNK])))))
    return out


def rebuild(conn: Connection) -> int:
    """Drop the sums and build them again from every counted post and its cached scores;
    returns the posts counted."""
    conn.execute(delete(schema.score_day_sums))
    conn.execute(delete(schema.post_day_sums))
    p, d = schema.posts, schema.discussion_posts
    last, total = 0, 0
    while True:
        rows = conn.execute(
            select(p.c.id, p.c.code, p.c.source, p.c.published_at, p.c.reads, p.c.text_hash, p.c.text, d.c.self_tag)
            .outerjoin(d, d.c.post_id == p.c.id).where(p.c.id > last, aggregate_clause(p))
            .order_by(p.c.id).limit(REBUILD_CHUNK)).all()
        if not rows:
            return total
        last = int(rows[-1][0])
        apply_posts(conn, _facts(r[1:] for r in rows), 1)
        total += len(rows)


def fill_text_hashes(conn: Connection) -> int:
    """Store ``text_hash`` on posts that lack it (rows from before the column); returns how many."""
    p = schema.posts
    done = 0
    while True:
        rows = conn.execute(select(p.c.id, p.c.text).where(p.c.text_hash.is_(None)).limit(REBUILD_CHUNK)).all()
        if not rows:
            return done
        statement = update(p).where(p.c.id == bindparam("post_id")).values(text_hash=bindparam("hash"))
        for i in range(0, len(rows), WRITE_CHUNK):
            conn.execute(statement, [{"post_id": int(r[0]), "hash": text_hash(str(r[1]))}
                                     for r in rows[i:i + WRITE_CHUNK]])
        done += len(rows)


def ensure_built(conn: Connection) -> bool:
    """The migration to stored sums, once per store (meta ``SUMS_KEY``): the text-hash index,
    text hashes of old rows, the sums. True when it built them now (False, too, when the
    database has no sums tables: a schema other than ours)."""
    present = inspect(conn)
    if not all(present.has_table(t.name) for t in (schema.posts, schema.post_day_sums, schema.score_day_sums)):
        return False
    for index in schema.posts.indexes:
        index.create(conn, checkfirst=True)
    m = schema.meta
    if conn.execute(select(m.c.value).where(m.c.key == SUMS_KEY)).scalar() == SUMS_VERSION:
        return False
    fill_text_hashes(conn)
    rebuild(conn)
    conn.execute(delete(m).where(m.c.key == SUMS_KEY))
    conn.execute(insert(m).values(key=SUMS_KEY, value=SUMS_VERSION))
    return True


# ------------------------------------------------------------------------------- reading

def fund_counts(conn: Connection, sources: Sequence[str] | None = None) -> list[tuple[str, int]]:
    """(code, counted posts) of ``sources`` (all when None), most posts first, ties by code."""
    t = schema.post_day_sums
    n = func.sum(t.c.n_posts).label("n")
    q = select(t.c.code, n).group_by(t.c.code).having(func.sum(t.c.n_posts) > 0).order_by(n.desc(), t.c.code)
    if sources is not None:
        q = q.where(t.c.source.in_(list(sources)))
    return [(str(c), int(k)) for c, k in conn.execute(q)]


def source_counts(conn: Connection) -> dict[str, int]:
    """Counted posts per source, by source name."""
    t = schema.post_day_sums
    rows = conn.execute(select(t.c.source, func.sum(t.c.n_posts)).group_by(t.c.source)
                        .having(func.sum(t.c.n_posts) > 0)).all()
    return {str(s): int(n) for s, n in sorted(rows)}


def day_sums(conn: Connection, version: str, codes: Sequence[str] | None = None,
             sources: Sequence[str] | None = None) -> pd.DataFrame:
    """Per fund and counts-from day (``day``, a Timestamp), the sums of ``sources`` with the
    scores of ``version`` (``DAY_COLUMNS``; days without a counted post left out)."""
    t, s = schema.post_day_sums, schema.score_day_sums
    pq = select(t.c.code, t.c.day, *[func.sum(t.c[c]) for c in POST_SUMS]).group_by(t.c.code, t.c.day)
    sq = (select(s.c.code, s.c.day, *[func.sum(s.c[c]) for c in ("n_scored", "n_pos", "n_neg", "score_sum", "sw", "w")])
          .where(s.c.scorer_version == version).group_by(s.c.code, s.c.day))
    if codes is not None:
        pq, sq = pq.where(t.c.code.in_(list(codes))), sq.where(s.c.code.in_(list(codes)))
    if sources is not None:
        pq, sq = pq.where(t.c.source.in_(list(sources))), sq.where(s.c.source.in_(list(sources)))
    posts = pd.DataFrame([tuple(r) for r in conn.execute(pq)], columns=["code", "day", *POST_SUMS])
    scores = pd.DataFrame([tuple(r) for r in conn.execute(sq)],
                          columns=["code", "day", "n_scored", "n_bull", "n_bear", "score_sum", "sw", "w"])
    out = posts[posts["n_posts"] > 0].merge(scores, on=["code", "day"], how="left")
    for c in ("n_scored", "n_bull", "n_bear"):
        out[c] = out[c].fillna(0).astype(int)
    for c in ("score_sum", "sw", "w"):
        out[c] = out[c].astype(float).fillna(0.0)
    for c in POST_SUMS:
        out[c] = out[c].astype(int)
    out["day"] = pd.to_datetime(out["day"])
    return out[DAY_COLUMNS].sort_values(["code", "day"], ignore_index=True)


# ------------------------------------------------------------------------------- helpers

def _facts(rows: Iterable[Any]) -> list[PostFacts]:
    """PostFacts of (code, source, published_at, reads, text_hash, text, self_tag) rows (the
    hash computed where a row predates the column)."""
    return [PostFacts(str(r[0]), str(r[1]), r[2], r[3], str(r[4]) if r[4] is not None else text_hash(str(r[5])),
                      r[6]) for r in rows]


def _calendars(conn: Connection, codes: Iterable[str]) -> dict[str, str]:
    i = schema.instruments
    wanted = sorted(set(codes))
    out: dict[str, str] = {}
    for k in range(0, len(wanted), CHUNK):
        out.update((str(c), str(cal)) for c, cal in conn.execute(
            select(i.c.code, i.c.calendar).where(i.c.code.in_(wanted[k:k + CHUNK]))))
    return out


def _days(conn: Connection, posts: Sequence[PostFacts]) -> list[date]:
    """Each post's counts-from day on its fund's calendar (XSHG when the fund is unknown)."""
    calendars = _calendars(conn, (p.code for p in posts))
    by_calendar: dict[str, list[int]] = {}
    for k, p in enumerate(posts):
        by_calendar.setdefault(calendars.get(p.code, "XSHG"), []).append(k)
    out = np.empty(len(posts), dtype="datetime64[ns]")
    for calendar, idx in by_calendar.items():
        out[idx] = counts_from_days([posts[k].published_at for k in idx], calendar)
    return list(pd.DatetimeIndex(out).date)


def _cached_scores(conn: Connection, hashes: Iterable[str]) -> dict[str, list[tuple[str, float | None, str | None]]]:
    s = schema.post_scores
    wanted = sorted(set(hashes))
    out: dict[str, list[tuple[str, float | None, str | None]]] = {}
    for i in range(0, len(wanted), CHUNK):
        for h, version, score, label in conn.execute(select(s.c.text_hash, s.c.scorer_version, s.c.score, s.c.label)
                                                     .where(s.c.text_hash.in_(wanted[i:i + CHUNK]))):
            out.setdefault(str(h), []).append((str(version), None if score is None else float(score), label))
    return out


def _add_score(acc: dict[tuple[str, str, str, date], list[float]], key: tuple[str, str, str, date],
               score: float | None, label: str | None, reads: int | None) -> None:
    row = acc.setdefault(key, [0, 0, 0, 0, 0.0, 0.0, 0.0])
    row[0] += 1
    row[2] += label == "pos"
    row[3] += label == "neg"
    if score is not None and score == score:   # NaN is "no score" too
        w = 1.0 + float(reads or 0)
        row[1] += 1
        row[4] += score
        row[5] += score * w
        row[6] += w


def _score_rows(acc: Mapping[tuple[str, str, str, date], list[float]], sign: int) -> list[dict[str, Any]]:
    return [{"scorer_version": k[0], "code": k[1], "source": k[2], "day": k[3],
             **{c: (sign * int(v) if c.startswith("n_") else sign * float(v)) for c, v in zip(SCORE_SUMS, row)}}
            for k, row in acc.items()]


def _add(conn: Connection, table: Table, rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
    """INSERT rows, adding their ``columns`` to an existing row with the same key instead."""
    if not rows:
        return
    from sqlalchemy.dialects import postgresql, sqlite

    statement: Any = (postgresql.insert(table) if conn.dialect.name == "postgresql" else sqlite.insert(table))
    statement = statement.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={c: table.c[c] + statement.excluded[c] for c in columns})
    for i in range(0, len(rows), WRITE_CHUNK):
        conn.execute(statement, rows[i:i + WRITE_CHUNK])


def _drop_empty(conn: Connection, table: Table, count: str, keys: list[dict[str, Any]]) -> None:
    """Delete the rows of ``keys`` whose ``count`` fell to 0 (no post left on that key)."""
    if not keys:
        return
    names = list(keys[0])
    statement = delete(table).where(*[table.c[n] == bindparam(f"k_{n}") for n in names], table.c[count] <= 0)
    conn.execute(statement, [{f"k_{n}": k[n] for n in names} for k in keys])
