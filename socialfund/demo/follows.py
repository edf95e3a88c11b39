"""Demo follows and paper copies: who follows and who paper-copies which portfolio,
drawn by power-law popularity and visibility; the rows of ``follows.csv`` and
``copies.csv``.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from socialfund.demo.common import END, stage_rng
from socialfund.demo.portfolios import Portfolio
from socialfund.demo.users import User

N_FOLLOWS = 2000
N_COPIES = 300


def _random_day(rs: np.random.RandomState, lo: date, hi: date) -> date:
    return lo + timedelta(days=int(rs.randint(0, (hi - lo).days + 1)))


def make_follows(seed: int, users: list[User],
                 portfolios: list[Portfolio]) -> list[tuple[int, int, str]]:
    """Follows with power-law popularity; private portfolios get none, unlisted few."""
    rs = stage_rng(seed, 4)
    vis_factor = {"public": 1.0, "unlisted": 0.1, "private": 0.0}
    pop = np.array([p.popularity * vis_factor[p.visibility] for p in portfolios])
    pop /= pop.sum()
    seen: set[tuple[int, int]] = set()
    rows: list[tuple[int, int, str]] = []
    attempts = 0
    while len(rows) < N_FOLLOWS and attempts < N_FOLLOWS * 20:
        attempts += 1
        p = portfolios[rs.choice(len(portfolios), p=pop)]
        u = users[rs.randint(len(users))]
        lo = max(u.joined_on, p.created_on)
        hi = p.closed_on or END
        if u.user_id == p.owner_id or (u.user_id, p.portfolio_id) in seen or lo > hi:
            continue
        seen.add((u.user_id, p.portfolio_id))
        rows.append((u.user_id, p.portfolio_id, _random_day(rs, lo, hi).isoformat()))
    rows.sort()
    return rows


def make_copies(seed: int, users: list[User],
                portfolios: list[Portfolio]) -> list[tuple[object, ...]]:
    """Paper copies: mostly of the most popular public portfolios."""
    rs = stage_rng(seed, 5)
    vis_factor = {"public": 1.0, "unlisted": 0.2, "private": 0.0}
    pop = np.array([p.popularity ** 1.3 * vis_factor[p.visibility] for p in portfolios])
    pop /= pop.sum()
    seen: set[tuple[int, int]] = set()
    drafts: list[tuple[date, int, int, int, int, int, int, int]] = []
    attempts = 0
    while len(drafts) < N_COPIES and attempts < N_COPIES * 30:
        attempts += 1
        p = portfolios[rs.choice(len(portfolios), p=pop)]
        u = users[rs.randint(len(users))]
        lo = max(u.joined_on, p.created_on + timedelta(days=1))
        hi = min(p.closed_on or END, END) - timedelta(days=1)
        if u.user_id == p.owner_id or (u.user_id, p.portfolio_id) in seen or lo > hi:
            continue
        seen.add((u.user_id, p.portfolio_id))
        drafts.append((_random_day(rs, lo, hi), u.user_id, p.portfolio_id,
                       int(rs.choice([5000, 10000, 20000, 30000, 50000, 100000, 200000],
                                     p=[0.12, 0.28, 0.2, 0.12, 0.15, 0.1, 0.03])),
                       int(rs.choice([0, 1, 3, 5, 10, 15], p=[0.1, 0.2, 0.25, 0.25, 0.1, 0.1])),
                       int(rs.choice([0, 1, 2, 3, 5], p=[0.15, 0.45, 0.2, 0.12, 0.08])),
                       int(rs.choice([0, 100, 500, 1000], p=[0.2, 0.4, 0.3, 0.1])),
                       int(rs.choice([5, 8, 10, 15, 20, 30], p=[0.05, 0.1, 0.3, 0.25, 0.2, 0.1]))))
    drafts.sort(key=lambda d: (d[0], d[1], d[2]))
    return [(i, uid, pid, day.isoformat(), amount, fee, delay, min_pos, stop)
            for i, (day, uid, pid, amount, fee, delay, min_pos, stop) in enumerate(drafts, 1)]
