"""Alert rules per user, their evaluation after each data refresh, and the inbox.

Rules (``RULES``; ``threshold`` None = the default in brackets):

| rule              | subject (when none is named)             | raised when (at the last session S)                              | dedup key |
|-------------------|------------------------------------------|------------------------------------------------------------------|-----------|
| ``sentiment_shift`` | ``--fund`` (else the watchlist)          | \\|z_S\\| > threshold [2]: z of the fund's mean post sentiment at S vs its previous 20 sessions (``social.aggregate.rolling_z``) | ``r{rule}:{code}:{S}`` |
| ``drawdown``      | ``--fund`` / ``--portfolio`` (else watchlist + followed portfolios) | drawdown_S = close_S / max(close up to S) − 1 ≤ −threshold % [10] | ``r{rule}:{subject}:peak{P}`` (P = the session of the peak: once per drawdown) |
| ``rebalance``     | ``--portfolio`` (else followed portfolios) | a version after the first, placed by S and after the rule was added | ``r{rule}:portfolio:{id}:v{version row id}`` |
| ``top_idea``      | ``--fund`` (else every fund)             | the fund is in the fund-idea ranking's top N [10] at S and was not at the session before | ``r{rule}:{code}:{S}`` |
| ``reply``         | the user's own posts                     | a visible reply by someone else, written after the rule was added | ``r{rule}:post:{reply id}`` |

No look-ahead: prices, sentiment and ranks are read up to S, the last session on or before
``as_of`` (default: the latest in the data); rebalances count only when placed by the end of
S. Idempotent: a dedup key is stored once (``store.alerts.insert_events``), so a second
run over the same data raises nothing. A portfolio's events go only to users who may view
it when the run happens (a rule on a portfolio later made private raises nothing more).
Users with a webhook URL get one queued delivery per new event (``services.alerts``).

Adding a rule validates it: an unknown rule, an unknown fund, a portfolio the user cannot
view, a threshold out of range, or a subject the rule does not take is a ``ValidationError``
(``NotFoundError`` for an invisible portfolio) and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select

from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.core.timeutil import from_utc_naive, utcnow
from socialfund.services.access import Actor, is_visible, portfolio_row
from socialfund.store import Store, community, schema
from socialfund.store import alerts as db
from socialfund.store import watchlists

RULES = ("sentiment_shift", "drawdown", "rebalance", "top_idea", "reply")
DEFAULT_THRESHOLD: dict[str, float] = {"sentiment_shift": 2.0, "drawdown": 10.0, "top_idea": 10.0}
#: which subjects each rule may be narrowed to
TAKES_FUND = {"sentiment_shift", "drawdown", "top_idea"}
TAKES_PORTFOLIO = {"drawdown", "rebalance"}
MAX_TOP_N = 100
MAX_RULES_PER_USER = 50
SCORER_SPEC = "finance"


@dataclass(frozen=True)
class Rule:
    id: int
    user_id: int
    rule: str
    fund_code: str | None
    portfolio_id: int | None
    threshold: float | None
    created_at: dt.datetime

    @property
    def limit(self) -> float:
        """The threshold in force (the rule's, else its default)."""
        return float(self.threshold if self.threshold is not None else DEFAULT_THRESHOLD.get(self.rule, 0.0))


@dataclass(frozen=True)
class Event:
    """One raised event as its user's inbox shows it."""

    id: int
    rule_id: int
    rule: str
    subject: str                  # fund code, 'portfolio:ID' or 'post:ID'
    session: dt.date | None
    value: float | None
    detail: dict[str, Any]
    created_at: dt.datetime
    read: bool

    @property
    def fund(self) -> str | None:
        return None if ":" in self.subject else self.subject

    @property
    def portfolio_id(self) -> int | None:
        if self.subject.startswith("portfolio:"):
            return int(self.subject.split(":", 1)[1])
        pid = self.detail.get("portfolio_id")
        return int(pid) if pid is not None else None

    @property
    def post_id(self) -> int | None:
        return int(self.subject.split(":", 1)[1]) if self.subject.startswith("post:") else None


@dataclass
class MarketData:
    """What the price/sentiment/idea rules read, cut at ``session`` (no later data inside).

    ``closes``: sessions × codes, index ≤ session; ``sentiment_z``: code → z at session;
    ``idea_ranks``: code → (rank at session, rank at the session before), NaN = unranked."""

    session: pd.Timestamp
    closes: pd.DataFrame
    sentiment_z: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    idea_ranks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["now", "before"]))


# --------------------------------------------------------------------------- rules

def _rule(row: Any) -> Rule:
    return Rule(id=int(row["id"]), user_id=int(row["user_id"]), rule=str(row["rule"]), fund_code=row["fund_code"],
                portfolio_id=None if row["portfolio_id"] is None else int(row["portfolio_id"]),
                threshold=None if row["threshold"] is None else float(row["threshold"]),
                created_at=row["created_at"])


def _check_threshold(rule: str, threshold: float | str | None) -> float | None:
    if threshold is None or threshold == "":
        return None
    if rule in ("rebalance", "reply"):
        raise ValidationError(f"rule {rule} takes no threshold")
    try:
        value = float(threshold)
    except (TypeError, ValueError):
        raise ValidationError(f"threshold must be a number, got {threshold!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValidationError(f"threshold must be a positive number, got {threshold!r}")
    if rule == "drawdown" and value >= 100:
        raise ValidationError(f"drawdown threshold is a percent below 100, got {threshold!r}")
    if rule == "top_idea" and (value != int(value) or value > MAX_TOP_N):
        raise ValidationError(f"top_idea threshold is a whole number N from 1 to {MAX_TOP_N}, got {threshold!r}")
    return value


def _known_fund(conn: Connection, code: str) -> str:
    text = str(code).strip()
    i = schema.instruments
    if conn.execute(select(i.c.code).where(i.c.code == text)).first() is None:
        raise ValidationError(f"fund {code!r} is not in the universe", key="error.unknown_codes",
                              args={"codes": text})
    return text


def add_rule(store: Store, actor: Actor, rule: str, *, fund: str | None = None, portfolio: int | None = None,
             threshold: float | str | None = None, now: dt.datetime | None = None) -> Rule:
    """Add an alert rule for ``actor`` (see the module docstring). Nothing is stored on an error."""
    if actor is None:
        raise PermissionDenied("sign in to set alerts")
    kind = str(rule or "").strip()
    if kind not in RULES:
        raise ValidationError(f"rule must be one of {', '.join(RULES)}, got {rule!r}")
    fund = None if fund is None or not str(fund).strip() else str(fund)
    if fund is not None and portfolio is not None:
        raise ValidationError("name at most one subject: a fund (--fund) or a portfolio (--portfolio)")
    if fund is not None and kind not in TAKES_FUND:
        raise ValidationError(f"rule {kind} takes no fund")
    if portfolio is not None and kind not in TAKES_PORTFOLIO:
        raise ValidationError(f"rule {kind} takes no portfolio")
    limit = _check_threshold(kind, threshold)
    at = now or utcnow()

    def write(conn: Connection) -> Rule:
        code = _known_fund(conn, fund) if fund is not None else None
        pid: int | None = None
        if portfolio is not None:
            prow = portfolio_row(conn, portfolio)
            if not is_visible(prow, actor):
                raise NotFoundError(f"portfolio {portfolio} not found")
            pid = int(prow["id"])
        if len(db.active_rules(conn, actor)) >= MAX_RULES_PER_USER:
            raise ValidationError(f"at most {MAX_RULES_PER_USER} alert rules per user")
        rid = db.add_rule(conn, user_id=actor, rule=kind, fund_code=code, portfolio_id=pid, threshold=limit, at=at)
        return Rule(rid, int(actor), kind, code, pid, limit, at)

    result: Rule = store.retrying(write)
    return result


def rules(store: Store, actor: Actor) -> list[Rule]:
    """The actor's active rules, oldest first ([] when signed out)."""
    if actor is None:
        return []
    with store.read() as conn:
        return [_rule(r) for r in db.active_rules(conn, actor)]


def delete_rule(store: Store, actor: Actor, rule_id: int, *, now: dt.datetime | None = None) -> None:
    """Delete one of the actor's rules (its past events stay in the inbox)."""
    if actor is None:
        raise PermissionDenied("sign in to change your alerts")
    at = now or utcnow()
    if not store.retrying(lambda conn: db.delete_rule(conn, actor, int(rule_id), at)):
        raise NotFoundError(f"alert rule {rule_id} not found")


def set_webhook(store: Store, actor: Actor, url: str | None, *, now: dt.datetime | None = None) -> None:
    """Set (or with an empty ``url`` remove) the actor's webhook: an http(s) URL."""
    if actor is None:
        raise PermissionDenied("sign in to set a webhook")
    text = str(url or "").strip()
    if text and (not text.startswith(("http://", "https://")) or len(text) > 2000 or " " in text):
        raise ValidationError(f"webhook URL must be an http:// or https:// URL, got {url!r}")
    at = now or utcnow()
    store.retrying(lambda conn: db.set_webhook(conn, actor, text or None, at))


def webhook(store: Store, actor: Actor) -> str | None:
    if actor is None:
        return None
    with store.read() as conn:
        return db.webhook_url(conn, actor)


# --------------------------------------------------------------------------- inbox

def _event(row: Any) -> Event:
    return Event(id=int(row["id"]), rule_id=int(row["rule_id"]), rule=str(row["rule"]), subject=str(row["subject"]),
                 session=row["session"], value=row["value"], detail=json.loads(row["detail_json"] or "{}"),
                 created_at=row["created_at"], read=row["read_at"] is not None)


def inbox(store: Store, actor: Actor, *, unread_only: bool = False, limit: int = 200) -> list[Event]:
    """The actor's events, newest first ([] when signed out)."""
    if actor is None:
        return []
    with store.read() as conn:
        return [_event(r) for r in db.events(conn, actor, unread_only=unread_only, limit=limit)]


def unread_count(store: Store, actor: Actor) -> int:
    if actor is None:
        return 0
    with store.read() as conn:
        return db.unread_count(conn, actor)


def mark_read(store: Store, actor: Actor, event_ids: Sequence[int] | None = None, *,
              now: dt.datetime | None = None) -> int:
    """Mark the actor's events read (all of them when ``event_ids`` is None); how many changed."""
    if actor is None:
        raise PermissionDenied("sign in to read your inbox")
    at = now or utcnow()
    ids = None if event_ids is None else [int(i) for i in event_ids]
    changed: int = store.retrying(lambda conn: db.mark_read(conn, actor, ids, at))
    return changed


# --------------------------------------------------------------------------- evaluation

def _candidate(rule: Rule, key: str, subject: str, session: pd.Timestamp | None, value: float | None,
               at: dt.datetime, **detail: Any) -> dict[str, Any]:
    return {"rule_id": rule.id, "user_id": rule.user_id, "dedup_key": f"r{rule.id}:{key}", "rule": rule.rule,
            "subject": subject, "session": None if session is None else session.date(),
            "value": None if value is None else float(value), "detail": detail, "created_at": at}


def _day(ts: pd.Timestamp) -> str:
    return ts.date().isoformat()


def _viewable(conn: Connection, user_id: int, pid: int) -> bool:
    return is_visible(portfolio_row(conn, pid), user_id)


def _followed(conn: Connection, user_id: int) -> list[int]:
    f = schema.follows
    ids = [int(r[0]) for r in conn.execute(select(f.c.portfolio_id).where(f.c.user_id == user_id)
                                            .order_by(f.c.portfolio_id))]
    return [pid for pid in ids if _viewable(conn, user_id, pid)]


def _fund_subjects(conn: Connection, rule: Rule) -> list[str]:
    return [rule.fund_code] if rule.fund_code else watchlists.codes(conn, rule.user_id)


def _portfolio_subjects(conn: Connection, rule: Rule) -> list[int]:
    if rule.portfolio_id is not None:
        return [rule.portfolio_id] if _viewable(conn, rule.user_id, rule.portfolio_id) else []
    if rule.fund_code is not None:
        return []
    return _followed(conn, rule.user_id)


def _drawdown(series: pd.Series) -> tuple[float, pd.Timestamp] | None:
    """(drawdown % at the last point, the session of the running peak), from the series' values."""
    s = series.dropna()
    if len(s) < 2:
        return None
    pos = int(s.to_numpy(dtype=float).argmax())
    peak_at, peak = s.index[pos], float(s.iloc[pos])
    if peak <= 0:
        return None
    return (float(s.iloc[-1]) / peak - 1.0) * 100.0, pd.Timestamp(peak_at)


def _portfolio_nav(conn: Connection, data: MarketData, pid: int) -> pd.Series | None:
    from socialfund import portfolios

    versions = [v for _, v in community.versions_with_ids(conn, [pid]).get(pid, [])
                if v.placed_date <= data.session.date()]
    if not versions:
        return None
    prow = portfolio_row(conn, pid)
    closed = None if prow is None or prow["closed_at"] is None else from_utc_naive(prow["closed_at"]).date()
    try:
        return portfolios.nav_series(data.closes, versions, closed if closed and closed <= data.session.date() else None)
    except (ValidationError, KeyError):
        return None


def _eval_sentiment(conn: Connection, rule: Rule, data: MarketData, at: dt.datetime) -> list[dict[str, Any]]:
    out = []
    for code in _fund_subjects(conn, rule):
        z = data.sentiment_z.get(code)
        if z is None or pd.isna(z) or abs(float(z)) <= rule.limit:
            continue
        out.append(_candidate(rule, f"{code}:{_day(data.session)}", code, data.session, round(float(z), 4), at,
                              z=round(float(z), 4), threshold=rule.limit))
    return out


def _eval_drawdown(conn: Connection, rule: Rule, data: MarketData, at: dt.datetime) -> list[dict[str, Any]]:
    out = []
    subjects: list[tuple[str, pd.Series | None, dict[str, Any]]] = []
    for code in _fund_subjects(conn, rule) if rule.portfolio_id is None else []:
        series = data.closes[code] if code in data.closes.columns else None
        subjects.append((code, series, {}))
    for pid in _portfolio_subjects(conn, rule):
        subjects.append((f"portfolio:{pid}", _portfolio_nav(conn, data, pid), {"portfolio_id": pid}))
    for subject, series, extra in subjects:
        if series is None:
            continue
        found = _drawdown(series.loc[series.index <= data.session])
        if found is None or found[0] > -rule.limit:
            continue
        dd, peak_at = found
        out.append(_candidate(rule, f"{subject}:peak{_day(peak_at)}", subject, data.session, round(dd, 4), at,
                              drawdown_pct=round(dd, 4), peak_session=_day(peak_at), threshold=rule.limit, **extra))
    return out


def _eval_rebalance(conn: Connection, rule: Rule, data: MarketData | None, at: dt.datetime) -> list[dict[str, Any]]:
    out = []
    cut = pd.Timestamp(community.day_end_utc(data.session.date()) if data is not None else at).tz_localize("UTC")
    created = pd.Timestamp(rule.created_at).tz_localize("UTC")
    for pid in _portfolio_subjects(conn, rule):
        for vid, version in community.versions_with_ids(conn, [pid]).get(pid, []):
            placed = pd.Timestamp(version.placed_at)
            if version.version <= 1 or placed < created or placed >= cut:
                continue
            out.append(_candidate(rule, f"portfolio:{pid}:v{vid}", f"portfolio:{pid}",
                                  pd.Timestamp(version.placed_date), float(version.version), at,
                                  portfolio_id=pid, version=int(version.version)))
    return out


def _eval_top_idea(conn: Connection, rule: Rule, data: MarketData, at: dt.datetime) -> list[dict[str, Any]]:
    out = []
    n = int(rule.limit)
    ranks = data.idea_ranks
    now_col = pd.to_numeric(ranks["now"], errors="coerce").astype(float)
    before_col = pd.to_numeric(ranks["before"], errors="coerce").astype(float)
    codes = [rule.fund_code] if rule.fund_code else sorted(str(c) for c in ranks.index)
    for code in codes:
        if code not in ranks.index:
            continue
        now_rank, before = float(now_col.loc[code]), float(before_col.loc[code])
        if math.isnan(now_rank) or now_rank > n or (not math.isnan(before) and before <= n):
            continue
        out.append(_candidate(rule, f"{code}:{_day(data.session)}", code, data.session, now_rank, at,
                              rank=int(now_rank), top_n=n))
    return out


def _eval_reply(conn: Connection, rule: Rule, at: dt.datetime) -> list[dict[str, Any]]:
    d = schema.discussion_posts
    parent = d.alias("parent")
    u = schema.users
    q = (select(d.c.post_id, d.c.parent_id, u.c.display_name, d.c.fund_code, d.c.portfolio_id, d.c.created_at)
         .join(parent, parent.c.post_id == d.c.parent_id).join(u, u.c.id == d.c.author_id)
         .where(parent.c.author_id == rule.user_id, d.c.author_id != rule.user_id, d.c.status == "visible",
                parent.c.status != "deleted", d.c.created_at >= rule.created_at, d.c.created_at <= at)
         .order_by(d.c.post_id))
    out = []
    for reply_id, parent_id, name, fund, pid, created in conn.execute(q).all():
        if pid is not None and not _viewable(conn, rule.user_id, int(pid)):
            continue
        out.append(_candidate(rule, f"post:{int(reply_id)}", f"post:{int(reply_id)}", None, float(reply_id), at,
                              parent_id=int(parent_id), replier=str(name), fund=fund,
                              portfolio_id=None if pid is None else int(pid), written_at=str(created)))
    return out


def needs_market(active: Sequence[Rule]) -> bool:
    return any(r.rule in ("sentiment_shift", "drawdown", "top_idea") for r in active)


def evaluate(store: Store, data: MarketData | None, *, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Every active rule's candidate events (not stored), in rule order. ``data`` may be None
    when no rule needs prices (rebalance and reply read the store only)."""
    at = now or utcnow()
    with store.read() as conn:
        active = [_rule(r) for r in db.active_rules(conn)]
        out: list[dict[str, Any]] = []
        for rule in active:
            if rule.rule == "reply":
                out += _eval_reply(conn, rule, at)
            elif rule.rule == "rebalance":
                out += _eval_rebalance(conn, rule, data, at)
            elif data is None:
                continue
            elif rule.rule == "sentiment_shift":
                out += _eval_sentiment(conn, rule, data, at)
            elif rule.rule == "drawdown":
                out += _eval_drawdown(conn, rule, data, at)
            elif rule.rule == "top_idea":
                out += _eval_top_idea(conn, rule, data, at)
    return out


def load_market(store: Store, provider: Any, as_of: dt.date | None = None, *,
                sentiment: bool = True, ideas: bool = True) -> MarketData:
    """The market data the rules read, from the store and the price provider, cut at the last
    session on or before ``as_of``: every close, the sentiment z of every fund at that session
    (``services.sentiment_view.history`` with the finance scorer over the default sources) and
    the fund-idea ranks at that session and the one before (``ideas.ranking.ranked_list``)."""
    from socialfund.market.sessions import session_prices

    closes = session_prices(provider, None, as_of)
    closes = closes.dropna(how="all")
    if closes.empty:
        raise ValidationError("no prices to evaluate alerts on" + (f" by {as_of}" if as_of else ""))
    session = pd.Timestamp(closes.index[-1])
    data = MarketData(session=session, closes=closes)
    if sentiment:
        from socialfund.sentiment import get_scorer
        from socialfund.services import sentiment_view
        from socialfund.services.scores import score_posts

        scorer = get_scorer(SCORER_SPEC)
        score_posts(store, scorer)
        universe = provider.universe()
        codes = [i.code for i in universe]
        srcs = sentiment_view.sources(store).default
        hist = sentiment_view.history(store, universe, closes, scorer.version, codes, srcs)
        daily = hist.daily
        if not daily.empty:
            at = daily[pd.to_datetime(daily["session"]) == session]
            data.sentiment_z = pd.Series(at["z"].to_numpy(dtype=float), index=at["code"].astype(str))
    if ideas:
        from socialfund.ideas.features import build_features
        from socialfund.ideas.ranking import ranked_list
        from socialfund.ideas.scoring import run_scores
        from socialfund.services.ideas import load_inputs

        inputs = load_inputs(store, provider)
        # ranks at a session read only what was known before it (``ideas.features``); cut anyway
        inputs = replace(inputs, closes=inputs.closes.loc[inputs.closes.index <= session])
        fs = build_features(inputs)
        scores = run_scores(fs)
        pos = int(fs.sessions.searchsorted(min(session, fs.sessions[-1]), side="right")) - 1
        if pos >= 1:
            now_t = ranked_list(fs, scores, fs.sessions[pos].date()).set_index("code")["rank"]
            before_t = ranked_list(fs, scores, fs.sessions[pos - 1].date()).set_index("code")["rank"]
            data.idea_ranks = pd.DataFrame({"now": now_t.astype(float), "before": before_t.reindex(now_t.index)
                                            .astype(float)})
    return data


def run_alerts(store: Store, as_of: dt.date | None = None, *, provider: Any = None, data: MarketData | None = None,
               now: dt.datetime | None = None) -> list[Event]:
    """Evaluate every active rule (see the module docstring) and store the new events; queue a
    webhook delivery for each new event of a user with a webhook. Returns the events raised
    by this run (none on a second run over the same data). ``data`` (tests) replaces what
    would be loaded from ``provider`` (default: the configured provider)."""
    at = now or utcnow()
    with store.read() as conn:
        active = [_rule(r) for r in db.active_rules(conn)]
    if data is None and needs_market(active):
        if provider is None:
            from socialfund.core.config import load_settings
            from socialfund.market.providers import get_provider

            provider = get_provider(load_settings(), store)
        kinds = {r.rule for r in active}
        data = load_market(store, provider, as_of, sentiment="sentiment_shift" in kinds, ideas="top_idea" in kinds)
    candidates = evaluate(store, data, now=at)

    def write(conn: Connection) -> list[dict[str, Any]]:
        fresh = db.insert_events(conn, candidates)
        db.queue_deliveries(conn, fresh, at)
        return fresh

    fresh: list[dict[str, Any]] = store.retrying(write)
    return [_event(r) for r in fresh]


def event_record(event: Event) -> dict[str, Any]:
    """An event as a JSON-safe dict (the command line's output)."""
    return {"id": event.id, "rule": event.rule, "subject": event.subject,
            "session": None if event.session is None else str(event.session), "value": event.value,
            "detail": event.detail, "read": event.read, "created_at": event.created_at.isoformat() + "Z"}
