"""AppTest of the Fund ideas page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from conftest import app_test


def _run(lang: str = "zh") -> AppTest:
    at = app_test("pages/4_Fund_Ideas.py", lang, timeout=180)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def _ranking(at: AppTest) -> list[str]:
    df = at.dataframe[0].value
    return list(df[df.columns[2]])   # the code column, best first


def test_ranking_weights_method_and_evidence(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = _run("zh")
    assert any("演示数据" in w.value for w in at.warning)
    assert any("过往业绩不预示未来表现" in c.value for c in at.caption)
    assert any("灵感不是建议" in i.value for i in at.info)
    df = at.dataframe[0].value
    assert list(df.columns[:3]) == ["排名", "基金", "代码"] and "近 60 日走势" in df.columns
    assert list(df["排名"]) == list(range(1, len(df) + 1)) and len(df) >= 25
    assert all(len(v) == 60 for v in df["近 60 日走势"])   # sparkline data: 60 closes each
    # evidence: the plain verdict plus the demo caveat
    verdicts = [w.value for w in at.warning if "Rank-IC" in w.value] + [s.value for s in at.success]
    assert verdicts and "演示数据" in verdicts[0] and "没有任何说服力" in verdicts[0]
    assert len(at.get("plotly_chart")) == 4   # contributions, fund detail, IC bars, spread curve
    before = _ranking(at)

    # weights: a preset changes the sliders and the ranking
    at.sidebar.selectbox(key="ideas_preset").set_value("contrarian_sentiment").run()
    assert not at.exception
    assert at.sidebar.slider(key="ideas_w_mom_60").value == 0.0
    assert at.sidebar.slider(key="ideas_w_sent_shift").value == -2.0
    contrarian = _ranking(at)
    assert contrarian != before
    at.sidebar.slider(key="ideas_w_mom_120").set_value(2.0).run()
    assert not at.exception and _ranking(at) != contrarian
    assert any("自定义" in c.value for c in at.sidebar.caption)

    # model method, then back: the sliders keep a valid preset
    at.sidebar.radio(key="ideas_method").set_value("model").run()
    assert not at.exception and not at.sidebar.slider
    assert len(_ranking(at)) >= 25
    at.sidebar.radio(key="ideas_method").set_value("composite").run()
    assert not at.exception and at.sidebar.slider(key="ideas_w_sent_shift").value in (-2.0, 0.5)


def test_past_as_of_date_and_english(demo_store) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    at = _run("en")
    assert any("No evidence of an edge" in w.value or "statistical evidence" in w.value
               for w in [*at.warning, *at.success])
    at.sidebar.date_input(key="ideas_as_of").set_value(dt.date(2025, 6, 14)).run()   # a Saturday
    assert not at.exception
    assert any("Ranking for 2025-06-13" in c.value and "close of 2025-06-12" in c.value for c in at.caption)
    df = at.dataframe[0].value
    assert "Main reasons" in df.columns and df["Main reasons"].str.len().min() > 3
