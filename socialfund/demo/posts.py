"""Demo forum posts: volume by hour and popularity, reaction bursts after big-move
sessions, tone following only closes already public, text from ``demo.forum``; the rows
of ``posts.csv``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from socialfund.core.sources import DEMO_POST_SOURCE
from socialfund.demo import DEMO_END, DEMO_START
from socialfund.demo.common import iso_at, stage_rng
from socialfund.demo.forum import compose_post
from socialfund.demo.prices import PriceBook
from socialfund.demo.universe import UNIVERSE, Instrument
from socialfund.demo.users import User

N_POSTS = 20000


SESSION_HOURS = np.array([2, 1, .5, .3, .3, .3, .6, 1.5, 3, 7, 8, 6, 3, 6, 7, 6,
                          4, 3, 3, 4, 5, 5, 4, 3], dtype=float)
OFF_DAY_HOURS = np.array([2, 1.5, .8, .4, .3, .3, .5, 1, 2, 3, 3.5, 3.5, 3, 3, 3, 3,
                          3, 3, 3.5, 4.5, 5, 5, 4, 3], dtype=float)
REACTION_HOURS = np.array([0] * 15 + [8, 7, 5, 4, 4, 5, 5, 4, 3], dtype=float)
FORUM_NAME_PREFIXES = ("股友", "雪球用户", "基民", "天天基金用户", "财富号", "韭菜")


def _known_close_seconds(inst: Instrument, book: PriceBook) -> np.ndarray:
    """When each close became public, as China wall-clock seconds since 1970-01-01:
    15:00 the same day for XSHG, about 05:00 the next China morning for XNYS."""
    days = book.session_dates[inst.code].values.astype("datetime64[s]").astype(np.int64)
    if inst.calendar == "XSHG":
        return days + 15 * 3600
    return days + 29 * 3600


def make_posts(seed: int, users: list[User], book: PriceBook) -> list[tuple[object, ...]]:
    """~N_POSTS forum posts. Volume: a popularity base (less on days off) plus
    after-close reaction posts on big-move sessions. Tone reacts only to closes that
    were public before the post (last 5 sessions up → more bullish)."""
    rs = stage_rng(seed, 6)
    insts = [i for i in UNIVERSE if i.kind != "index" and i.forum_popularity > 0]
    days = pd.date_range(DEMO_START, DEMO_END, freq="D")
    n_days, n_codes = len(days), len(insts)
    xshg_days = set(book.session_dates["510300.SS"])
    is_session = np.array([d in xshg_days for d in days])
    pop = np.array([i.forum_popularity for i in insts])
    base = np.outer(np.where(is_session, 1.0, 0.45), pop)
    react = np.zeros((n_days, n_codes))
    day_pos = {d: k for k, d in enumerate(days)}
    for j, inst in enumerate(insts):
        if inst.calendar != "XSHG":
            continue
        sd = inst.vol / math.sqrt(243)
        r = np.diff(np.log(book.closes[inst.code]), prepend=np.log(book.closes[inst.code][0]))
        excess = np.maximum(np.abs(r) / sd - 1.0, 0.0) ** 1.5
        for d, x in zip(book.session_dates[inst.code], excess):
            react[day_pos[d], j] = 1.5 * pop[j] * x
    scale = N_POSTS / (base.sum() + react.sum())
    n_base = rs.poisson(base * scale)
    n_react = rs.poisson(react * scale)

    # One row per post: day index, code index, whether it is an after-close reaction.
    d_idx = np.concatenate([np.repeat(np.arange(n_days), n_base.sum(1)),
                            np.repeat(np.arange(n_days), n_react.sum(1))])
    c_idx = np.concatenate([np.concatenate([np.repeat(np.arange(n_codes), row) for row in n_base]),
                            np.concatenate([np.repeat(np.arange(n_codes), row) for row in n_react])])
    reaction = np.concatenate([np.zeros(int(n_base.sum()), bool), np.ones(int(n_react.sum()), bool)])
    n = len(d_idx)
    hours = np.where(
        reaction, rs.choice(24, size=n, p=REACTION_HOURS / REACTION_HOURS.sum()),
        np.where(is_session[d_idx], rs.choice(24, size=n, p=SESSION_HOURS / SESSION_HOURS.sum()),
                 rs.choice(24, size=n, p=OFF_DAY_HOURS / OFF_DAY_HOURS.sum())))
    sec_of_day = hours * 3600 + rs.randint(0, 3600, size=n)
    day_sec = days.values.astype("datetime64[s]").astype(np.int64)
    ts = day_sec[d_idx] + sec_of_day
    order = np.lexsort((np.arange(n), c_idx, ts))
    d_idx, c_idx, ts, sec_of_day, reaction = (d_idx[order], c_idx[order], ts[order],
                                              sec_of_day[order], reaction[order])

    # Past-only signal: log return over the last 5 closes public at the post time.
    signal = np.zeros(n)
    move_pct = np.zeros(n)
    for j, inst in enumerate(insts):
        mask = c_idx == j
        known = _known_close_seconds(inst, book)
        lp = np.log(book.closes[inst.code])
        last = np.searchsorted(known, ts[mask], side="right") - 1
        ok = last >= 0
        r5 = np.where(ok, lp[np.maximum(last, 0)] - lp[np.maximum(last - 5, 0)], 0.0)
        sd5 = inst.vol / math.sqrt(243) * math.sqrt(5)
        signal[mask] = r5 / sd5
        move_pct[mask] = np.abs(np.expm1(r5)) * 100
    p_pos = 0.30 + 0.28 * np.tanh(0.9 * signal)
    p_neg = 0.30 - 0.28 * np.tanh(0.9 * signal)
    u = rs.random_sample(n)
    tones = np.where(u < p_pos, "pos", np.where(u < p_pos + p_neg, "neg", "neu"))

    # Authors: users who had joined by the post's day (users are sorted by joined_on),
    # a few heavy posters writing most; the rest are anonymous forum names.
    joined_sec = np.array([np.datetime64(u_.joined_on, "s").astype(np.int64) for u_ in users])
    n_joined_at = np.searchsorted(joined_sec, day_sec[d_idx], side="right")
    post_weight = np.cumsum(rs.lognormal(0.0, 0.8, len(users)))
    handles = [u_.handle for u_ in users]
    others_by_code = {
        inst.code: [o.aliases[0] for o in insts
                    if o.code != inst.code and o.category == inst.category and o.aliases]
        for inst in insts}
    rows: list[tuple[object, ...]] = []
    for k in range(n):
        inst = insts[c_idx[k]]
        day = days[d_idx[k]].date()
        text = compose_post(rs, str(tones[k]), name_zh=inst.name_zh,
                            short_code=inst.short_code, aliases=inst.aliases,
                            other_aliases=others_by_code[inst.code], handles=handles,
                            move_pct=float(move_pct[k]))
        n_joined = int(n_joined_at[k])
        if n_joined > 0 and rs.random_sample() < 0.72:
            pick = int(np.searchsorted(post_weight[:n_joined],
                                       rs.random_sample() * post_weight[n_joined - 1],
                                       side="right"))
            author = handles[min(pick, n_joined - 1)]
        else:
            prefix = FORUM_NAME_PREFIXES[rs.randint(len(FORUM_NAME_PREFIXES))]
            author = f"{prefix}{rs.randint(100000, 99999999)}"
        reads = int(math.exp(rs.normal(5.3, 1.1)) * (1.6 if reaction[k] else 1.0)) + 1
        comments = int(rs.poisson(math.sqrt(reads) / 4))
        rows.append((k + 1, inst.code, text, author, iso_at(day, int(sec_of_day[k])),
                     reads, comments, DEMO_POST_SOURCE))
    return rows
