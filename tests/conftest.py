"""Shared fixtures: an isolated data dir per test session, a demo-loaded store, a real
Streamlit server and a real Chromium (Debian's, driven by Playwright) for browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run (and keep no example database between
# runs), so a landing never depends on which random examples a run happened to pick.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.load_profile("deterministic")

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session", autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Never touch a developer's own var/ database: every test session gets its own."""
    data_dir = tmp_path_factory.mktemp("socialfund-data")
    old = {k: os.environ.get(k) for k in ("SOCIALFUND_DATA_DIR", "SOCIALFUND_DATABASE_URL",
                                          "SOCIALFUND_MARKET_PROVIDER")}
    os.environ["SOCIALFUND_DATA_DIR"] = str(data_dir)
    os.environ.pop("SOCIALFUND_DATABASE_URL", None)
    os.environ["SOCIALFUND_MARKET_PROVIDER"] = "demo"
    yield data_dir
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def demo_store(_isolated_data_dir: Path):  # type: ignore[no-untyped-def]
    """The session's default store (SQLite in the isolated data dir) with the demo data loaded."""
    from socialfund.store import open_store
    from socialfund.store.demo import ensure_demo

    store = open_store()
    ensure_demo(store)
    return store


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> Iterator[None]:
    """st.cache_data persists across AppTest runs in one process: start each test clean."""
    yield
    if "streamlit" in sys.modules:
        import streamlit as st
        st.cache_data.clear()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_streamlit(env_extra: dict[str, str] | None = None, timeout: float = 90.0):  # type: ignore[no-untyped-def]
    """Start ``streamlit run dashboard.py`` on 127.0.0.1 and wait for its health check."""
    port = _free_port()
    env = {**os.environ, **(env_extra or {})}
    log = open(ARTIFACTS / f"streamlit-{port}.log", "w")  # noqa: SIM115 - closed by the caller
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return proc, url, log
        except OSError:
            time.sleep(0.25)
    proc.kill()
    raise RuntimeError(f"streamlit did not become healthy in {timeout}s; see {log.name}")


@contextmanager
def running_streamlit(env_extra: dict[str, str] | None = None) -> Iterator[str]:
    """A dashboard server for the duration of the block; yields its base URL, stops it after."""
    ARTIFACTS.mkdir(exist_ok=True)
    proc, url, log = start_streamlit(env_extra)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def app_url(demo_store) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with running_streamlit() as url:
        yield url


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    # expect()'s default 5 s is too tight for a page run on a loaded 2-core CI machine;
    # assertions still fail when the expected output never appears.
    expect.set_options(timeout=30_000)
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is not installed (/usr/bin/chromium): run the README test command as root "
                    "or `apt-get install -y chromium fonts-noto-cjk`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser, app_url):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def wait_for_app(pg) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script has finished running (the app sets data-test-script-state)."""
    from playwright.sync_api import expect

    expect(pg.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_have_count(1, timeout=60_000)


def screenshot(pg, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Screenshot the whole page, sidebar included. Streamlit scrolls inside its own container,
    so grow the viewport to the content's height first (then restore it)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = pg.viewport_size or {"width": 1400, "height": 1000}
    height = int(pg.evaluate(
        "() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight"))
    pg.set_viewport_size({"width": size["width"], "height": min(max(size["height"], height + 160), 9000)})
    pg.wait_for_timeout(800)  # let plotly re-layout at the new size
    pg.screenshot(path=str(path))
    pg.set_viewport_size(size)
    return path




def app_test(page: str | None = None, lang: str | None = None, timeout: float = 120):  # type: ignore[no-untyped-def]
    """``AppTest`` of the app as a browser gets it: the router (``dashboard.py``, which draws
    the chrome) switched to ``page`` (a script under ``pages/``, relative to the repo
    root; ``None`` = the default page, home). AppTest resolves relative paths against the
    calling file, so the router is given by absolute path."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    if not getattr(PagesManager, "_socialfund_router_mode", False):
        # AppTest resets Streamlit's "pages/ folder" flag before every run, so each run would
        # start in the old auto-discovered mode that a real server leaves after its first
        # router run (app.navigation.require_router then reruns, which drops button clicks).
        # Hold AppTest in the steady state of a running server; the fresh-server path itself
        # is checked in a real browser (tests/test_browser_home.py).
        original_init = PagesManager.__init__

        def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            original_init(self, *args, **kwargs)
            PagesManager.uses_pages_directory = False

        PagesManager.__init__ = init  # type: ignore[method-assign]
        PagesManager._socialfund_router_mode = True  # type: ignore[attr-defined]
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=timeout)
    if page is not None:
        at.switch_page(page)  # before the first run: the page's URL is its file name (app.navigation)
    if lang:
        at.session_state["lang"] = lang
    return at


# --------------------------------------------------------------------------- what a test can check on output

def plotly_figures(at) -> list[dict]:  # type: ignore[no-untyped-def]
    """The plotly figures an ``AppTest`` run drew, as plotly JSON dicts (``data``, ``layout``;
    typed arrays decoded, so ``y`` is a sequence of numbers)."""
    import json

    return [_decode_typed_arrays(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


def _decode_typed_arrays(node):  # type: ignore[no-untyped-def]
    """plotly ≥ 6 writes numeric arrays as ``{"dtype": "f8", "bdata": base64[, "shape"]}``: decode them to lists."""
    import base64

    import numpy as np

    if isinstance(node, dict):
        if set(node) <= {"dtype", "bdata", "shape"} and {"dtype", "bdata"} <= set(node):
            values = np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"]))
            if "shape" in node:
                values = values.reshape([int(n) for n in str(node["shape"]).split(",")])
            return values.tolist()
        return {k: _decode_typed_arrays(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode_typed_arrays(v) for v in node]
    return node


def figure_title(fig: dict) -> str:
    title = fig.get("layout", {}).get("title") or {}
    return str(title.get("text", "") if isinstance(title, dict) else title)


def figure_by_title(figs: list[dict], title: str) -> dict:
    """The one figure whose title is ``title`` (or starts with it); fails naming the titles seen."""
    found = [f for f in figs if figure_title(f) == title] or [f for f in figs if figure_title(f).startswith(title)]
    assert len(found) == 1, f"{title!r} among {[figure_title(f) for f in figs]}"
    return found[0]


def colour_pixels(img, colour: str, tolerance: int = 12) -> int:  # type: ignore[no-untyped-def]
    """How many pixels of a Pillow image are within ``tolerance`` (per channel) of ``#rrggbb``."""
    from socialfund.view.palette import rgb

    target = rgb(colour)
    return sum(count for count, pixel in img.convert("RGB").getcolors(maxcolors=1 << 24)
               if all(abs(a - b) <= tolerance for a, b in zip(pixel, target)))


def assert_drawn_png(source: bytes | Path, *, size: tuple[int, int] | None = None, width: int | None = None,
                     min_height: int = 0, min_colours: int = 200,
                     colours: dict[str, int] | None = None) -> None:
    """A real, drawn PNG: the PNG signature, the expected size (``size`` exactly, or ``width`` and
    at least ``min_height``), not a blank canvas (at least ``min_colours`` distinct colours),
    and at least ``colours[c]`` pixels of each palette colour ``c`` (e.g. the red/green of a chart)."""
    import io

    from PIL import Image

    data = source.read_bytes() if isinstance(source, Path) else source
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        if size is not None:
            assert img.size == size, img.size
        if width is not None:
            assert img.width == width and img.height >= min_height, img.size
        distinct = len(img.convert("RGB").getcolors(maxcolors=1 << 24))
        assert distinct >= min_colours, f"only {distinct} distinct colours: a blank or nearly blank image"
        for colour, least in (colours or {}).items():
            seen = colour_pixels(img, colour)
            assert seen >= least, f"{colour}: {seen} pixels, expected at least {least}"


@pytest.fixture(scope="module")
def provider():  # type: ignore[no-untyped-def]
    """The demo price provider (the services tests' market data)."""
    from socialfund.market.providers import DemoProvider

    return DemoProvider()


@pytest.fixture(scope="module")
def meta(demo_store):  # type: ignore[no-untyped-def]
    """Portfolio metadata of the demo store, as the services read it."""
    from socialfund.store import community

    return community.portfolio_meta(demo_store)
