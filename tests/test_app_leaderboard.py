"""AppTest of pages/1_Leaderboard.py, through the router."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from conftest import app_test


def _run(lang: str = "en") -> AppTest:
    at = app_test("pages/1_Leaderboard.py", lang)
    at.run()
    assert not at.exception, at.exception
    return at


def test_leaderboard_renders_rules_luck_line_and_notices(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run("en")
    metrics = {m.label: m.value for m in at.metric}
    screened, eligible = int(metrics["Portfolios screened (N)"]), int(metrics["Eligible"])
    assert screened >= eligible > 20
    assert float(metrics["Best Sharpe by luck alone"]) > 0
    table = at.dataframe[0].value
    assert list(table["rank"][:5]) == [1, 2, 3, 4, 5]
    assert at.get("plotly_chart"), "the Sharpe-by-rank chart with the luck line is missing"
    assert any("demo data" in w.value for w in at.warning)
    assert any("Past performance" in c.value or "past performance" in c.value for c in at.caption)
    assert any("never used to rank" in c.value for c in at.caption)
    assert any("rules 2026" in c.value for c in at.caption)


def test_changing_window_sort_and_closed_toggle(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run("en")
    first = int({m.label: m.value for m in at.metric}["Portfolios screened (N)"])
    at.radio(key="lb_window").set_value("all").run()
    assert not at.exception
    assert int({m.label: m.value for m in at.metric}["Portfolios screened (N)"]) >= first
    at.selectbox(key="lb_sort").set_value("total_return").run()
    assert not at.exception
    returns = list(at.dataframe[0].value["total_return"])
    assert returns == sorted(returns, reverse=True)
    assert any("Total return" in c.value for c in at.caption)
    shown = len(at.dataframe[0].value)
    at.toggle(key="lb_closed").set_value(True).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) > shown and table["closed"].any()


def test_chinese_is_the_default_language(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run("zh")
    assert at.title[0].value == "跟投排行榜"
    assert any(m.label == "筛选组合数 N" for m in at.metric)


def test_a_portfolio_made_private_leaves_the_cached_leaderboard_at_once(demo_store) -> None:  # type: ignore[no-untyped-def]
    """Shared caches are keyed on the community fingerprint, not only on a TTL."""
    from socialfund.store import schema

    at = _run("en")
    top_name = at.dataframe[0].value["name"].iloc[0]
    p = schema.portfolios
    with demo_store.read() as conn:
        ids = conn.execute(p.select().with_only_columns(p.c.id).where(p.c.name == top_name)).scalars().all()
    assert len(ids) == 1
    top = ids[0]
    try:
        with demo_store.write() as conn:
            conn.execute(p.update().where(p.c.id == top).values(visibility="private"))
        at.run()
        assert not at.exception
        assert top_name not in set(at.dataframe[0].value["name"])
    finally:
        with demo_store.write() as conn:
            conn.execute(p.update().where(p.c.id == top).values(visibility="public"))
