"""Finding 4 (issue 14): the language lives in the URL (``?lang=en``), so a reload (a new
session), a bookmark and a share link keep it."""

from __future__ import annotations

from conftest import app_test

from app.share_links import snapshot_link


def _texts(at) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(getattr(e, "value", "")) for e in at.main) + " ".join(t.value for t in at.title)


def test_a_reload_with_lang_en_opens_in_english(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = app_test("pages/4_Fund_Ideas.py")
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.session_state["lang"] == "en"
    assert at.title[0].value == "Fund ideas" or "Fund" in at.title[0].value


def test_switching_to_english_writes_lang_into_the_url(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = app_test("pages/4_Fund_Ideas.py")
    at.run()
    assert at.query_params.get("lang") in (None, [], ["zh"], "zh")
    at.sidebar.radio(key="_lang_widget").set_value("en").run()
    assert at.session_state["lang"] == "en"
    assert at.query_params.get("lang") in ("en", ["en"])


def test_a_share_link_carries_the_sharers_language() -> None:
    assert snapshot_link("TOK", "http://h:1/My_Portfolios?lang=en").endswith("?snapshot=TOK&lang=en")
    assert snapshot_link("TOK", "http://h:1/My_Portfolios", lang="en") == "http://h:1/?snapshot=TOK&lang=en"
    assert snapshot_link("TOK", "http://h:1/", lang="zh") == "http://h:1/?snapshot=TOK&lang=zh"


def test_a_share_link_in_english_opens_the_snapshot_page_in_english(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = app_test()
    at.query_params["snapshot"] = "no-such-token"
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.session_state["lang"] == "en"
    assert at.query_params.get("lang") in ("en", ["en"])
