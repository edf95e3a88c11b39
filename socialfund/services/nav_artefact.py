"""The community NAV matrix kept as a versioned artefact (issue 16.3): valued once, then
rebuilt only for the portfolios whose inputs changed.

A portfolio's NAV column (``portfolios.nav_from_arrays``) depends on its versions placed by
the as-of date, its closing day, the session axis and the prices of the codes it holds —
nothing else (every column is valued on its own). The artefact (``store.artefacts``, one per
as-of date and benchmark) keeps every column with those keys:

* versions: ``(count, last version id)`` from ``community.portfolio_meta`` (versions are
  only ever inserted, so the pair names the set);
* closing day (as of the date);
* the session axis (any change: everything is revalued) and one digest per code's price
  column: a changed series revalues only the portfolios that ever held the code.

So a new rebalance, a closing or a price import costs the portfolios it touches; a visit
with nothing changed reads no version at all. Values are exactly the cold path's: the
same function values the same inputs (tests/test_nav_artefact.py). ``ENGINE`` names the
valuation rules: bump it when ``nav_from_arrays`` changes what it computes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from socialfund import portfolios
from socialfund.core.models import VersionArrays
from socialfund.core.sessions import MAX_CARRY_SESSIONS
from socialfund.core.weights import CASH
from socialfund.market.providers import PriceProvider
from socialfund.market.sessions import session_prices
from socialfund.store import Store, community
from socialfund.store.artefacts import Artefacts

ENGINE = "nav_from_arrays-1"
_NO_DAY = -1


@dataclass(frozen=True)
class CommunityValuation:
    """``valued``: NAV and status of every portfolio given that has a version placed by
    the as-of date (columns in the order given); ``last_placed_ns``: each column's last
    placement by then (UTC ns, aligned with ``valued.nav.columns``); ``revalued``: how many
    portfolios were valued now (the others came from the artefact)."""

    valued: portfolios.NavWithStatus
    last_placed_ns: np.ndarray
    revalued: int

    @property
    def portfolio_ids(self) -> np.ndarray:
        return np.asarray(self.valued.nav.columns, dtype=np.int64)


def artefact_name(as_of: dt.date, benchmark: str) -> str:
    return f"community_nav.{as_of.isoformat()}.{re.sub(r'[^A-Za-z0-9_-]', '_', benchmark)}"


def _digest(values: np.ndarray) -> str:
    return hashlib.blake2b(np.ascontiguousarray(values, dtype=np.float64).tobytes(), digest_size=12).hexdigest()


def _day(value: Any) -> int:
    return _NO_DAY if value is None or pd.isna(value) else pd.Timestamp(value).date().toordinal()


def _status_json(status: Mapping[int, portfolios.NavStatus]) -> str:
    def iso(d: dt.date | None) -> str | None:
        return None if d is None else d.isoformat()
    return json.dumps({str(pid): [s.state, s.reason, s.code, s.kind, iso(s.session), iso(s.last_price_on), s.version,
                                  s.max_carry] for pid, s in status.items() if not s.ok})


def _status_from_json(text: str) -> dict[int, portfolios.NavStatus]:
    def day(s: str | None) -> dt.date | None:
        return None if s is None else dt.date.fromisoformat(s)
    return {int(pid): portfolios.NavStatus(state, reason, code, kind, day(session), day(last), version, carry)
            for pid, (state, reason, code, kind, session, last, version, carry) in json.loads(text).items()}


def _held_codes(table: VersionArrays) -> tuple[np.ndarray, np.ndarray]:
    """(pointers per portfolio, code indices into ``table.codes``): the codes other than
    CASH each portfolio of ``table`` holds in any version."""
    n_p = len(table.portfolio_ids)
    v_owner = np.repeat(np.arange(n_p), np.diff(table.version_offsets))
    w_owner = np.repeat(v_owner, np.diff(table.weight_offsets))
    cash = np.array([c == CASH for c in table.codes] + [False], dtype=bool)
    keep = ~cash[table.weight_code]
    pairs = np.unique(w_owner[keep] * max(len(table.codes), 1) + table.weight_code[keep])
    owner, code = pairs // max(len(table.codes), 1), pairs % max(len(table.codes), 1)
    return np.searchsorted(owner, np.arange(n_p + 1)).astype(np.int64), code.astype(np.int64)


def _usable(art: dict[str, np.ndarray] | None) -> bool:
    return art is not None and str(art.get("engine", "")) == ENGINE and int(art.get("max_carry", -1)) == MAX_CARRY_SESSIONS


def value_community(store: Store, provider: PriceProvider, meta: pd.DataFrame, closed: Mapping[int, dt.date | None],
                    as_of: dt.date, benchmark: str, artefacts: Artefacts | None) -> CommunityValuation:
    """NAVs of the portfolios of ``meta`` (``portfolio_id, versions, last_version_id``, in
    that order) with their ``closed`` days, from versions placed by the end of ``as_of`` and
    prices up to it, reusing the columns of the artefact whose keys still match (none when
    ``artefacts`` is None) and saving the result when anything was revalued."""
    ids = meta["portfolio_id"].to_numpy(dtype=np.int64)
    keys = np.stack([meta["versions"].to_numpy(dtype=np.int64), meta["last_version_id"].to_numpy(dtype=np.int64),
                     np.asarray([_day(closed.get(int(p))) for p in ids], dtype=np.int64)]) if len(ids) \
        else np.zeros((3, 0), dtype=np.int64)
    name = artefact_name(as_of, benchmark)
    art = artefacts.load(name) if artefacts is not None else None
    art = art if _usable(art) else None
    reuse = np.zeros(len(ids), dtype=bool)
    pos = np.zeros(len(ids), dtype=np.int64)
    if art is not None and len(ids) and len(art["ids"]):
        order = np.argsort(art["ids"], kind="stable")
        at = np.minimum(np.searchsorted(art["ids"], ids, sorter=order), len(order) - 1)
        pos = order[at]
        reuse = (art["ids"][pos] == ids) & (art["keys"][:, pos] == keys).all(axis=0)
    art_codes = [str(c) for c in art["codes"]] if art is not None else []
    # the artefact's (portfolio, held code) pairs: entry -> its portfolio's row in the artefact
    entry_owner = (np.repeat(np.arange(len(art["ids"])), np.diff(art["held_ptr"])) if art is not None
                   else np.zeros(0, np.int64))

    def art_rows(mask: np.ndarray) -> np.ndarray:
        """Which artefact rows are the portfolios of ``ids[mask]``."""
        rows = np.zeros(len(art["ids"]) if art is not None else 0, dtype=bool)
        rows[pos[mask]] = True
        return rows

    cutoff = community.day_end_utc(as_of)
    table = community.version_arrays(store, ids[~reuse].tolist(), placed_before=cutoff) if (~reuse).any() else None
    codes = {c for c in (table.codes if table is not None else ()) if c != CASH}
    if art is not None and reuse.any():
        codes |= {art_codes[i] for i in np.unique(art["held_code"][art_rows(reuse)[entry_owner]]).tolist()}
    prices = session_prices(provider, codes, as_of, benchmark)
    axis = prices.index.as_unit("ns").asi8 if isinstance(prices.index, pd.DatetimeIndex) else np.zeros(0, np.int64)
    if art is not None and reuse.any():
        same_axis = len(art["axis"]) == len(axis) and bool((art["axis"] == axis).all())
        if not same_axis:
            reuse[:] = False
        else:
            now = {c: _digest(prices[c].to_numpy()) for c in prices.columns}
            before = dict(zip(art_codes, (str(h) for h in art["code_hash"])))
            changed = np.array([now.get(c) != before.get(c) for c in art_codes] + [False], dtype=bool)
            if changed.any():
                touched = np.bincount(entry_owner, weights=changed[art["held_code"]],
                                      minlength=len(art["ids"])) > 0
                reuse &= ~touched[pos]
        if not reuse.all():
            table = community.version_arrays(store, ids[~reuse].tolist(), placed_before=cutoff)
    fresh = portfolios.nav_from_arrays(prices, table, {int(p): closed.get(int(p)) for p in table.portfolio_ids}) \
        if table is not None and len(table.portfolio_ids) else None
    fresh_ids = table.portfolio_ids if fresh is not None and table is not None else np.zeros(0, np.int64)

    # columns in the order of ``ids``: reused ones that have a column, and the fresh ones
    art_col = art["col"][pos] if art is not None else np.full(len(ids), -1, dtype=np.int64)
    from_art = reuse & (art_col >= 0)
    fresh_pos = {int(p): k for k, p in enumerate(fresh_ids)}
    from_fresh = np.array([(not r) and int(p) in fresh_pos for p, r in zip(ids, reuse)], dtype=bool)
    has_col = from_art | from_fresh
    out_ids = ids[has_col]
    n_s = len(prices.index)
    slot = np.cumsum(has_col) - 1
    if (art is not None and len(ids) and from_art.all() and art["nav"].shape[1] == len(ids)
            and np.array_equal(art_col, np.arange(len(ids)))):
        nav = art["nav"]           # nothing changed: the stored matrix as it is
    else:
        nav = np.empty((n_s, len(out_ids)), order="F")
        if from_art.any() and art is not None:
            nav[:, slot[from_art]] = art["nav"][:, art_col[from_art]]
        if from_fresh.any() and fresh is not None:
            nav[:, slot[from_fresh]] = fresh.nav.to_numpy()[:, [fresh_pos[int(p)] for p in ids[from_fresh]]]
    last_placed = np.zeros(len(out_ids), dtype=np.int64)
    ok = portfolios.NavStatus(max_carry=MAX_CARRY_SESSIONS)
    status: dict[int, portfolios.NavStatus] = dict.fromkeys(out_ids.tolist(), ok)
    if art is not None and from_art.any():
        last_placed[slot[from_art]] = art["last_placed"][pos[from_art]]
        kept = set(ids[from_art].tolist())
        status.update({pid: s for pid, s in _status_from_json(str(art["status"])).items() if pid in kept})
    if fresh is not None and table is not None and from_fresh.any():
        fresh_last = np.maximum.reduceat(table.placed_ns, table.version_offsets[:-1])
        last_placed[slot[from_fresh]] = fresh_last[[fresh_pos[int(p)] for p in ids[from_fresh]]]
        status.update(fresh.excluded)
    frame = pd.DataFrame(nav, index=prices.index, columns=pd.Index(out_ids.tolist(), name="portfolio_id"), copy=False)
    valued = portfolios.NavWithStatus(frame, status)
    revalued = int((~reuse).sum())
    if artefacts is not None and revalued:
        _save(artefacts, name, ids, keys, has_col, out_ids, nav, axis, prices, status, last_placed, art, pos, reuse,
              table, fresh_pos)
    return CommunityValuation(valued, last_placed, revalued)


def _save(artefacts: Artefacts, name: str, ids: np.ndarray, keys: np.ndarray, has_col: np.ndarray,
          out_ids: np.ndarray, nav: np.ndarray, axis: np.ndarray, prices: pd.DataFrame,
          status: Mapping[int, portfolios.NavStatus], last_placed: np.ndarray, art: dict[str, np.ndarray] | None,
          pos: np.ndarray, reuse: np.ndarray, table: VersionArrays | None, fresh_pos: Mapping[int, int]) -> None:
    """The artefact of this valuation: every portfolio's keys, its column (-1: none), the
    codes it holds (the artefact's and the fresh ones, renumbered) and the price digests."""
    codes = sorted(str(c) for c in prices.columns)
    index = {c: i for i, c in enumerate(codes)}
    art_codes = [str(c) for c in art["codes"]] if art is not None else []
    fresh_ptr, fresh_code = _held_codes(table) if table is not None else (np.zeros(1, np.int64), np.zeros(0, np.int64))
    table_pos = {int(p): k for k, p in enumerate(table.portfolio_ids)} if table is not None else {}
    held: list[np.ndarray] = []
    for j, pid in enumerate(ids.tolist()):
        if reuse[j] and art is not None:
            p = pos[j]
            names = [art_codes[c] for c in art["held_code"][art["held_ptr"][p]:art["held_ptr"][p + 1]]]
        elif pid in table_pos and table is not None:
            k = table_pos[pid]
            names = [table.codes[c] for c in fresh_code[fresh_ptr[k]:fresh_ptr[k + 1]]]
        else:
            names = []
        held.append(np.asarray([index[c] for c in names if c in index], dtype=np.int64))
    lengths = np.asarray([len(h) for h in held], dtype=np.int64)
    col = np.full(len(ids), -1, dtype=np.int64)
    col[has_col] = np.arange(len(out_ids))
    last = np.zeros(len(ids), dtype=np.int64)
    last[has_col] = last_placed
    artefacts.save(name, {
        "engine": np.array(ENGINE), "max_carry": np.array(MAX_CARRY_SESSIONS), "ids": ids, "keys": keys, "col": col,
        "last_placed": last, "axis": axis, "nav": np.asfortranarray(nav),
        "held_ptr": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        "held_code": np.concatenate(held) if held else np.zeros(0, np.int64),
        "codes": np.asarray(codes, dtype=str), "code_hash": np.asarray([_digest(prices[c].to_numpy()) for c in codes],
                                                                        dtype=str),
        "status": np.array(_status_json(status))})
