"""Demo labels by dataset (issue 11.6): prices, the community and posts each carry their
source; real prices never make the synthetic community look real; ``init`` makes a store
of one's own that the demo never enters; ``SOCIALFUND_DEMO=0`` keeps the app from loading it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import app_test
from socialfund.core.config import load_settings
from socialfund.core.errors import ConfigError
from socialfund.core.sources import DEMO_PRICE_SOURCE
from socialfund.services.datasets import demo_parts
from socialfund.store import open_store
from socialfund.store.demo import decline_demo, demo_loaded, ensure_demo, table_counts

REPO = Path(__file__).resolve().parent.parent


def test_each_dataset_is_labelled_on_its_own(tmp_path: Path, demo_store) -> None:  # type: ignore[no-untyped-def]
    real_prices = {"510300.SS": "import:etf.csv"}
    parts = demo_parts(demo_store, real_prices)
    assert (parts.prices, parts.community, parts.posts) == (False, True, True)   # finding 4: community stays demo
    assert parts.among(("prices", "community")) == ("community",)
    assert demo_parts(demo_store, {"510300.SS": DEMO_PRICE_SOURCE}).among(("prices", "posts")) == ("prices", "posts")
    own = open_store(f"sqlite:///{tmp_path / 'own.db'}")
    decline_demo(own)
    assert not ensure_demo(own) and not demo_loaded(own)
    parts = demo_parts(own, real_prices)
    assert not parts.any and parts.among(("prices", "community", "posts")) == ()


def test_demo_switch_is_read_and_checked() -> None:
    assert load_settings({}).demo is True
    assert load_settings({"SOCIALFUND_DEMO": "0"}).demo is False
    with pytest.raises(ConfigError, match="SOCIALFUND_DEMO='maybe'"):
        load_settings({"SOCIALFUND_DEMO": "maybe"})


def _cli(tmp_path: Path, *args: str, **env_extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOCIALFUND_DATA_DIR": str(tmp_path), **env_extra}
    env.pop("SOCIALFUND_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "socialfund", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=180)


def test_init_makes_an_empty_store_the_demo_never_enters(tmp_path: Path) -> None:
    done = _cli(tmp_path, "init")
    assert done.returncode == 0, done.stderr
    assert "created an empty store" in done.stdout
    # a later command that opens the store (and would load the demo into a new one) leaves it empty
    listed = _cli(tmp_path, "leaderboard", "--json")
    store = open_store(f"sqlite:///{tmp_path / 'socialfund.db'}")
    counts = table_counts(store)
    assert counts["portfolios"] == 0 and counts["posts"] == 0 and counts["users"] == 0, listed.stderr
    assert not demo_loaded(store)
    # init on a store that holds the demo is refused with one line, store unchanged
    demo_dir = tmp_path / "with-demo"
    assert _cli(demo_dir, "init-demo").returncode == 0
    refused = _cli(demo_dir, "init")
    assert refused.returncode == 2 and "already holds the demo data" in refused.stderr
    assert refused.stderr.strip().count("\n") == 0


def test_with_demo_off_the_app_loads_no_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    url = f"sqlite:///{tmp_path / 'nodemo.db'}"
    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", url)
    monkeypatch.setenv("SOCIALFUND_DEMO", "0")
    st.cache_resource.clear()
    try:
        at = app_test(None, "en")
        at.run()
    finally:
        st.cache_resource.clear()
    counts = table_counts(open_store(url))
    assert counts["users"] <= 1 and counts["portfolios"] == 0 and counts["posts"] == 0   # only the local owner


def test_router_names_the_demo_parts_of_the_page(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = app_test("pages/1_Leaderboard.py", "en")
    at.run()
    assert not at.exception, at.exception
    labels = [w.value for w in at.warning if "demo data" in w.value]
    assert len(labels) == 1
    assert "(prices · community: users and portfolios)" in labels[0]
