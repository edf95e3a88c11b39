"""Issue 14 finding 5 at the upload forms: a bad holdings, history or prices upload in the
Chinese UI shows the library's error translated (``app.errors.message``), never its English
text (``str(exc)``); the English UI still gets the English message."""

from __future__ import annotations

import re

import pytest

from conftest import app_test

MP = "pages/5_My_Portfolios.py"


@pytest.fixture()
def fresh_db(tmp_path, monkeypatch, demo_store):  # type: ignore[no-untyped-def]
    import streamlit as st

    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", f"sqlite:///{tmp_path}/app.db")
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def _english_words(text: str, allowed: set[str]) -> list[str]:
    """Latin words of three letters or more in ``text`` that are not ``allowed`` (file and
    column names the user typed, codes)."""
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in allowed]


def _errors(at) -> list[str]:  # type: ignore[no-untyped-def]
    assert not at.exception, at.exception
    return [e.value for e in at.error]


@pytest.mark.parametrize("data,english", [
    (b"code,weight\n999999,100\n", "unknown code"),              # keyed: unknown code
    (b"symbol,pct\n510300,100\n", "missing column"),             # keyed: a missing column
    (b"code,weight\n510300,abc\n", "weight"),                    # not keyed yet: the fallback in words
])
def test_bad_holdings_upload_reads_in_chinese(fresh_db, data: bytes, english: str) -> None:  # type: ignore[no-untyped-def]
    at = app_test(MP, "zh", timeout=180)
    at.run()
    at.file_uploader(key="new_upload").set_value(("h.csv", data, "text/csv")).run()
    shown = _errors(at)
    assert len(shown) == 1, shown
    assert _english_words(shown[0], {"csv", "code", "weight"}) == [], shown[0]
    en = app_test(MP, "en", timeout=180)
    en.run()
    en.file_uploader(key="new_upload").set_value(("h.csv", data, "text/csv")).run()
    (english_text,) = _errors(en)
    assert english in english_text.lower()
    body = english_text.rsplit(": ", 1)[-1]   # the library's English words, after where it is
    assert body and body not in shown[0]


def test_bad_history_upload_reads_in_chinese(fresh_db) -> None:  # type: ignore[no-untyped-def]
    at = app_test(MP, "zh", timeout=180)
    at.run()
    at.file_uploader(key="history_upload").set_value(
        ("hist.csv", b"day,code,weight\n2024-01-02,510300.SS,100\n", "text/csv")).run()
    shown = _errors(at)
    assert len(shown) == 1 and "缺少" in shown[0], shown
    assert _english_words(shown[0], {"csv", "hist", "date", "code", "weight"}) == [], shown[0]


def test_bad_prices_upload_reads_in_chinese(fresh_db) -> None:  # type: ignore[no-untyped-def]
    at = app_test(None, "zh", timeout=180)
    at.run()
    at.file_uploader(key="prices_upload").set_value(("p.csv", b"foo,bar\n1,2\n", "text/csv")).run()
    at.button(key="prices_import").click().run()
    shown = _errors(at)
    assert len(shown) == 1, shown
    assert _english_words(shown[0], {"csv", "foo", "bar"}) == [], shown[0]
