"""The Watchlist page (pages/9_Watchlist.py): the funds the signed-in user follows, each
with its price change, sentiment level and shift, post volume, idea rank and meter bull
share (``socialfund.services.watchlist_view``), a picker to add funds and a button per fund
to remove it. The router draws the demo label and the risk notice (``navigation.WATCHLIST``).

Sentiment figures use the Sentiment page's defaults: its default post sources and scorer
(``finance``, adapted to the store's posts when large enough, ``services.scorer_choice``);
idea ranks the Fund ideas page's default ranking (composite, balanced preset, latest
session), read through its caches (``app.cached_ideas``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from socialfund.core.errors import SocialFundError
from socialfund.ideas import scoring as ideas_scoring
from socialfund.services import meter, scores, watchlist
from socialfund.services.watchlist_view import watch_table

from app import cache_keys, cached_ideas, cached_scorer, cached_sentiment, errors, resources, session
from app.sentiment_tabs import ScoringProgress

FLASH_KEY = "wl_flash"
DEFAULT_SCORER = "finance"


def page() -> None:
    tr = session.tr
    st.title(tr("wl.title"))
    st.caption(tr("wl.intro"))
    user = session.current_user()
    if user.id is None:
        st.info(tr("wl.sign_in"))
        return
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash)
    names = resources.instrument_names(session.lang())
    codes = watchlist.codes(resources.store(), user.id)
    if not codes:
        st.info(tr("wl.empty"))
    else:
        with errors.errors_shown():
            _table(codes, names)
        _remove_buttons(codes, names)
    _add_picker(codes, names)


def _label(code: str, names: Mapping[str, str]) -> str:
    return f"{names.get(code, code)} ({code})"


def _ranks() -> tuple[pd.DataFrame | None, pd.Timestamp | None]:
    """The Fund ideas page's default ranking (None when the community cannot be ranked)."""
    try:
        community, market = cache_keys.community_key(), cache_keys.market_key()
        fs = cached_ideas.features(community, market)[0]
        if len(fs.sessions) == 0:
            return None, None
        weights = tuple(sorted(ideas_scoring.preset_weights(ideas_scoring.DEFAULT_PRESET).items()))
        at = fs.sessions[-1]
        return cached_ideas.ranked(community, market, ideas_scoring.METHODS[0], weights, at, session.lang()), at
    except SocialFundError:
        return None, None


def _table(codes: Sequence[str], names: Mapping[str, str]) -> None:
    tr = session.tr
    store = resources.store()
    codes_key = tuple(codes)
    closes = resources.closes(list(codes_key))
    available = cached_sentiment.sources(cache_keys.posts_key())
    src = tuple(sorted(available.default))
    scorer = cached_scorer.choice(DEFAULT_SCORER, cache_keys.posts_key()).scorer
    daily = pd.DataFrame(columns=["code", "session", "n_posts", "n_scored", "mean_score", "z"])
    if src:
        posts_key = cache_keys.posts_key(src)
        if cached_sentiment.unscored(codes_key, src, scorer.version, posts_key, cache_keys.scores_key(scorer.version)):
            progress = ScoringProgress(tr)
            progress.finish(scores.score_posts(store, scorer, list(codes_key), list(src), progress=progress))
        daily = cached_sentiment.history(codes_key, src, scorer.version, posts_key, closes).daily
    meters = meter.fund_meters(store, scorer, list(codes_key), closes, resources.universe())
    ranks, rank_session = _ranks()
    table = watch_table(codes_key, closes, daily, meters, ranks)
    view = pd.DataFrame({
        tr("wl.col.fund"): [_label(c, names) for c in table["code"]],
        tr("wl.col.close"): table["close"],
        tr("wl.col.d1"): table["d1_pct"],
        tr("wl.col.m1"): table["m1_pct"],
        tr("wl.col.level"): table["level"],
        tr("wl.col.z"): table["z"],
        tr("wl.col.level_session"): [d.date() if pd.notna(d) else None for d in table["level_session"]],
        tr("wl.col.posts"): table["posts_7"],
        tr("wl.col.rank"): table["rank"],
        tr("wl.col.bull"): table["bull_share"] * 100.0,
    })
    st.dataframe(view, hide_index=True, width="stretch", key="wl_table", column_config={
        tr("wl.col.close"): st.column_config.NumberColumn(format="%.3f"),
        tr("wl.col.d1"): st.column_config.NumberColumn(format="%+.2f"),
        tr("wl.col.m1"): st.column_config.NumberColumn(format="%+.2f"),
        tr("wl.col.level"): st.column_config.NumberColumn(format="%.2f"),
        tr("wl.col.z"): st.column_config.NumberColumn(format="%+.2f"),
        tr("wl.col.rank"): st.column_config.NumberColumn(format="%d"),
        tr("wl.col.bull"): st.column_config.NumberColumn(format="%.0f%%"),
    })
    as_of = table["as_of"].dropna()
    n_ranked = int(ranks["rank"].notna().sum()) if ranks is not None else 0
    st.caption(tr("wl.formulas", as_of=as_of.max().date() if not as_of.empty else "—",
                  sources=", ".join(src) or "—",
                  rank_session=rank_session.date() if rank_session is not None else "—", n_ranked=n_ranked)
               + ("" if ranks is not None else " " + tr("wl.no_rank")))


def _remove_buttons(codes: Sequence[str], names: Mapping[str, str]) -> None:
    tr = session.tr
    cols = st.columns(min(len(codes), 4))
    for i, code in enumerate(codes):
        if cols[i % len(cols)].button(f"{tr('wl.remove')} · {_label(code, names)}", key=f"wl-remove-{code}"):
            with errors.errors_shown():
                watchlist.remove(resources.store(), session.current_user().id, code)
                st.session_state[FLASH_KEY] = tr("wl.removed", fund=_label(code, names))
                st.rerun()


def _add_picker(codes: Sequence[str], names: Mapping[str, str]) -> None:
    tr = session.tr
    options = [i.code for i in resources.universe() if i.code not in codes]
    if not options:
        return
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    pick = left.selectbox(tr("wl.pick"), options, index=None, placeholder=tr("ui.choose_one"), key="wl-pick",
                          format_func=lambda c: f"{c} · {names.get(c, c)}")
    if right.button(tr("wl.add"), key="wl-add", disabled=pick is None) and pick:
        with errors.errors_shown():
            watchlist.add(resources.store(), session.current_user().id, pick)
            st.session_state[FLASH_KEY] = tr("wl.added", fund=_label(pick, names))
            st.rerun()
