"""Explain on the page (issue 17.7): ``app.draw_explain`` draws the finance scorer's
``explain`` output as bars (one per word, weight after the rules, red bullish / green
bearish), in zh and en; the Sentiment page's top-posts tab shows the picker and chart."""

from __future__ import annotations

import pandas as pd

from app.draw_explain import _options, explain_figure
from socialfund.scorers.rules import FinanceScorer
from socialfund.view.i18n import t
from socialfund.view.palette import DOWN, UP


def _tr(lang: str):  # type: ignore[no-untyped-def]
    return lambda key, **kw: t(key, lang, **kw)


def test_bars_are_the_explained_words_and_weights_in_text_order():
    items = FinanceScorer().explain("今天涨停了，但是明天可能要跌，不看好")
    fig = explain_figure(items, _tr("en")).to_dict()
    (bars,) = fig["data"]
    assert list(bars["x"]) == [h["weight"] for h in items]
    assert [y.split(" · ")[0] for y in bars["y"]] == [h["word"] for h in items]
    assert list(bars["marker"]["color"]) == [UP if h["weight"] > 0 else DOWN for h in items]


def test_rules_that_moved_a_word_are_in_its_hover():
    items = FinanceScorer().explain("不看好也不是利空")
    fig = explain_figure(items, _tr("zh")).to_dict()
    hovers = " ".join(fig["data"][0]["customdata"])
    assert any(h["modifiers"] for h in items)
    for h in items:
        for mod in h["modifiers"]:
            assert mod in hovers


def test_repeated_words_get_their_own_bars():
    items = FinanceScorer().explain("利好！利好！")
    fig = explain_figure(items, _tr("en")).to_dict()
    assert len(fig["data"][0]["y"]) == len(set(fig["data"][0]["y"])) == 2


def test_titles_and_axes_in_both_languages():
    items = FinanceScorer().explain("暴跌")
    for lang in ("zh", "en"):
        layout = explain_figure(items, _tr(lang)).to_dict()["layout"]
        assert layout["title"]["text"] == t("sent.explain_title", lang)
        assert layout["xaxis"]["title"]["text"] == t("sent.explain_weight", lang)
    assert t("sent.explain_title", "zh") != t("sent.explain_title", "en")


def test_picker_offers_top_bullish_then_bearish_posts_once_each():
    posts = pd.DataFrame({"text": ["涨停", "跌停", "还行", "涨停"], "score": [0.9, 0.1, 0.5, 0.9],
                          "reads": [1, 2, 3, 4], "code": ["x"] * 4})
    options = _options(posts)
    assert options["text"].iloc[0] == "涨停" and list(options["text"]).count("涨停") == 1
    assert set(options["text"]) == {"涨停", "跌停", "还行"}



def test_sentiment_page_top_posts_tab_draws_the_explanation(demo_store):  # type: ignore[no-untyped-def]
    from conftest import app_test, figure_by_title, plotly_figures

    at = app_test("pages/3_Sentiment.py", "en", timeout=300)
    at.run()
    assert not at.exception, at.exception
    picker = [s for s in at.selectbox if s.key == "explain-post"]
    assert picker, "the top-posts tab offers a post to explain"
    fig = figure_by_title(plotly_figures(at), t("sent.explain_title", "en"))
    assert fig["data"][0]["type"] == "bar" and len(fig["data"][0]["x"]) >= 1
    captions = " ".join(c.value for c in at.caption)
    assert "Scored by finance-adapted" in captions and "corpus hash" in captions
