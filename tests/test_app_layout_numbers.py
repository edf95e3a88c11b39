"""Issue 14, findings 8, 10, 11 and 12 in AppTest: one money and one percent formatter
(¥ with thousands separators, one percentage precision per table); the leaderboard's
columns and how it opens a portfolio (one history entry); top posts as cards; the Fund
Ideas export headers; portfolio charts labelled as demo; an unknown portfolio id says so,
links to where to find one and renders nothing else."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pandas as pd
from streamlit.testing.v1 import AppTest

from conftest import app_test, plotly_figures
from socialfund.ideas import display
from socialfund.store import community
from socialfund.view import formats
from socialfund.view.i18n import t

LB, PF, SENT, IDEAS = "pages/1_Leaderboard.py", "pages/2_Portfolio.py", "pages/3_Sentiment.py", "pages/4_Fund_Ideas.py"
PCT_TEXT = re.compile(r"[+-]?\d[\d,]*\.(\d+)%$")


def _run(page: str, lang: str = "en", **state: object) -> AppTest:
    at = app_test(page, lang, timeout=180)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _column_formats(at: AppTest, index: int = 0) -> dict[str, str]:
    """The display format of each configured column of a table, as sent to the browser."""
    config = json.loads(at.dataframe[index].proto.columns or "{}")
    return {name: str(c.get("type_config", {}).get("format", "")) for name, c in config.items()}


# ---------------------------------------------------------------- the formatters

def test_money_has_the_sign_and_thousands_separators_exactly() -> None:
    assert formats.money(Decimal("123456.78")) == "¥123,456.78"
    assert formats.money(100000, 0) == "¥100,000"
    assert formats.money(Decimal("-1234.565")) == "-¥1,234.57"     # half up, on the exact value
    assert formats.money_fen(12345678) == "¥123,456.78"
    assert formats.money(None) == "—"


def test_one_percent_precision() -> None:
    assert [formats.percent(x) for x in (0.039, 0.0371, 1.0)] == ["3.90%", "3.71%", "100.00%"]
    assert formats.percent(-0.0371, signed=True) == "-3.71%" and formats.percent(0.039, signed=True) == "+3.90%"
    assert formats.percent_of_points(3.9) == "3.90%"
    frame = formats.percent_points(pd.DataFrame({"r": [0.039, 0.0371], "n": [1, 2]}), ["r"])
    assert frame["r"].round(6).tolist() == [3.9, 3.71] and frame["n"].tolist() == [1, 2]
    assert formats.PCT_COLUMN_FORMAT % 3.9 == "3.90%"


# ---------------------------------------------------------------- the leaderboard

def test_leaderboard_columns_fit_and_show_one_percent_precision(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run(LB)
    table = at.dataframe[0].value
    assert list(table.columns)[:8] == ["rank", "name", "dsr", "sharpe", "luck_sharpe", "total_return",
                                       "max_drawdown", "risk_class"]
    assert not {"psr", "volatility", "calmar", "sessions", "followers", "copiers"} & set(table.columns)
    shown = _column_formats(at)
    assert shown["total_return"] == shown["max_drawdown"] == formats.PCT_COLUMN_FORMAT   # not the trimming preset
    assert (table["max_drawdown"].dropna() <= 0).all() and table["max_drawdown"].min() < -1   # percent points
    # the figures left out of the table are in the picked row's panel
    panel = " ".join(c.value for c in at.caption).replace("\\", "")   # markdown escapes (chrome.plain)
    assert "Probabilistic Sharpe (PSR)" in panel and "Followers" in panel
    assert re.search(r"Volatility \(ann\.\) \d+\.\d\d%", panel)


def test_opening_a_portfolio_sets_its_url_in_the_same_switch(demo_store) -> None:  # type: ignore[no-untyped-def]
    """One history entry: the switch carries ``?portfolio=ID`` (the portfolio page then
    writes the same value, which the browser does not push again)."""
    at = _run(LB)
    pick = int(next(s for s in at.selectbox if s.key and s.key.startswith("lb_pick_")).value)
    at.button(key="lb_open").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("pf.title", "en")
    assert at.query_params["portfolio"] in ([str(pick)], str(pick))


# ---------------------------------------------------------------- the portfolio page

def _public_id(store) -> int:  # type: ignore[no-untyped-def]
    meta = community.portfolio_meta(store)
    return int(meta.loc[(meta["visibility"] == "public") & meta["closed_on"].isna(), "portfolio_id"].iloc[1])


def test_portfolio_figures_have_one_precision_money_separators_and_demo_labelled_charts(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run(PF, portfolio_id=_public_id(demo_store))
    decimals = {len(PCT_TEXT.match(m.value).group(1)) for m in at.metric if PCT_TEXT.match(m.value)}  # type: ignore[union-attr]
    assert decimals == {formats.PCT_DECIMALS}, [m.value for m in at.metric]
    duration = next(m for m in at.metric if m.label == t("pf.m.max_drawdown_duration", "en"))
    assert re.fullmatch(r"[\d,]+|—", duration.value)   # the unit is in the label: nothing to cut off
    label = t("export.demo_label", "en")
    figs = plotly_figures(at)
    assert len(figs) >= 4
    for fig in figs:   # the chart's own PNG download (its toolbar) keeps the label
        assert any(a.get("text") == label for a in fig["layout"].get("annotations", [])), fig["layout"].get("title")
    for index in range(len(at.dataframe)):
        for name, shown in _column_formats(at, index).items():
            assert shown != "percent", name   # Streamlit's preset trims zeros: "3.9%" beside "3.71%"
    at.number_input(key="pf_c_floor").set_value(0)
    at.button(key="pf_c_run").click().run()
    assert not at.exception, at.exception
    money = [m.value for m in at.metric if m.value.startswith(("¥", "-¥"))]
    assert money and all(re.fullmatch(r"-?¥\d{1,3}(,\d{3})*\.\d\d", v) for v in money), money
    at.button(key="pf_c_save").click().run()
    saved = at.dataframe[-1].value
    amounts = saved[t("pf.c.col.amount", "en")].tolist()
    assert amounts and all(re.fullmatch(r"¥\d{1,3}(,\d{3})*\.\d\d", a) for a in amounts), amounts   # not ¥100000


def test_unknown_portfolio_says_so_links_to_where_to_find_one_and_renders_nothing_else(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = app_test(PF, "zh")
    at.query_params["portfolio"] = "999999"
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t("pf.not_found", "zh", id="999999")]
    assert {p.proto.page for p in at.get("page_link")} == {"Leaderboard", "My_Portfolios"}   # both places it names
    assert not at.metric and not at.get("plotly_chart") and not at.tabs and not at.dataframe and not at.selectbox


# ---------------------------------------------------------------- sentiment: top posts as cards

def test_top_posts_are_cards_with_their_whole_text(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run(SENT)
    markdown = [m.value for m in at.markdown]
    assert any(m == f"**{t('sent.top_pos', 'en')}**" for m in markdown)
    tables = [d.value for d in at.dataframe]
    assert not any(t("sent.col.text", "en") in table.columns for table in tables)   # no post text in a grid cell
    long_posts = [m for m in markdown if len(m) > 40 and not m.startswith("**")]
    assert long_posts, "the top posts' texts are shown in full as cards"
    assert any(t("sent.col.score", "en") in c.value and t("sent.col.reads", "en") in c.value for c in at.caption)


# ---------------------------------------------------------------- fund ideas export

def test_ideas_export_headers_are_translated_and_a_field_name_variant_exists(demo_store) -> None:  # type: ignore[no-untyped-def]
    from app import session
    from app.ideas_tabs import export_labels

    columns = [*display.EXPORT_COLUMNS, "data_source"]
    for lang in ("zh", "en"):
        labels = export_labels(session.translator(lang))
        assert set(columns) <= set(labels), set(columns) - set(labels)
        assert all(labels[c] != c for c in columns)   # no raw field name in the readable file
    assert export_labels(session.translator("zh"))["c_mom_20"] == "贡献：20 日动量"
    at = _run(IDEAS)
    buttons = {b.key: b.proto.label for b in at.get("download_button")}
    assert buttons == {"ideas-export": t("ideas.export", "en"), "ideas-export-fields": t("export.headers.machine", "en")}
