"""Configuration gate (the README's "Reliability and security"): the shipped Streamlit configuration keeps XSRF
and CORS protection on, caps uploads, hides error details in production; secrets.toml is
git-ignored; no code renders raw HTML; the pinned Streamlit is past the 2026 advisories.

Dependency audit: ``pip-audit`` needs its advisory source (PyPI's JSON API or OSV) on the
network. Where that is not reachable it reports every package as "could not be audited"
and still prints "No known vulnerabilities found" — so it is NOT run here as a test (that
would be a fake pass); run ``pip-audit -r requirements.txt`` in CI with network access.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / ".streamlit" / "config.toml"
MAX_UPLOAD_MB = 50
#: Streamlit releases before this one carry the 2026 advisories.
MIN_STREAMLIT = (1, 54)


@pytest.fixture(scope="module")
def config() -> dict:
    with CONFIG.open("rb") as fh:
        return tomllib.load(fh)


def test_xsrf_and_cors_protection_are_on(config: dict) -> None:
    server = config.get("server", {})
    # both default to true in Streamlit; the gate insists they are stated and on
    assert server.get("enableXsrfProtection") is True
    assert server.get("enableCORS") is True


def test_upload_size_is_capped(config: dict) -> None:
    cap = config.get("server", {}).get("maxUploadSize")
    assert isinstance(cap, int), "server.maxUploadSize must be set (Streamlit's default is 200 MB in memory)"
    assert 0 < cap <= MAX_UPLOAD_MB


def test_the_upload_cap_bounds_the_library_import_limits(config: dict) -> None:
    """The library refuses files above its own limits before parsing; those limits must not
    exceed what the server accepts at all (else the UI would promise more than it takes)."""
    from socialfund.io import holdings
    from socialfund.io import posts_file

    cap_bytes = config["server"]["maxUploadSize"] * 2**20
    assert 0 < posts_file.MAX_IMPORT_BYTES <= cap_bytes
    assert 0 < holdings.MAX_FILE_BYTES <= cap_bytes


def test_error_details_are_not_shown_in_production(config: dict) -> None:
    value = config.get("client", {}).get("showErrorDetails")
    assert value is not None, "client.showErrorDetails must be set for production"
    assert value in ("none", "type", False), f"client.showErrorDetails={value!r} shows tracebacks to visitors"


def test_secrets_toml_is_git_ignored() -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.fail("this gate needs git and a git checkout")
    res = subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=REPO)
    assert res.returncode == 0, ".streamlit/secrets.toml is not ignored by git"
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", ".streamlit/secrets.toml"], cwd=REPO,
                             capture_output=True)
    assert tracked.returncode != 0, ".streamlit/secrets.toml is committed"


def _app_sources() -> list[Path]:
    files = [REPO / "dashboard.py", *sorted((REPO / "app").glob("*.py")), *sorted((REPO / "pages").glob("*.py")),
             *sorted((REPO / "socialfund").rglob("*.py"))]
    return [f for f in files if f.exists()]


def test_no_raw_html_rendering() -> None:
    """User text must never reach unsafe_allow_html, components.html, st.html or st.iframe;
    the simplest gate: the app uses none of them."""
    pattern = re.compile(r"unsafe_allow_html\s*=\s*True|components\.v1|components\.html|st\.html\(|st\.iframe\(")
    offenders = [f"{f.relative_to(REPO)}:{n}" for f in _app_sources()
                 for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert offenders == []


def test_streamlit_is_past_the_known_advisories() -> None:
    import streamlit

    installed = tuple(int(p) for p in re.findall(r"\d+", streamlit.__version__)[:2])
    assert installed >= MIN_STREAMLIT, streamlit.__version__
    req = (REPO / "requirements.txt").read_text(encoding="utf-8")
    pin = re.search(r"^streamlit\s*>=\s*(\d+)\.(\d+)", req, re.MULTILINE)
    assert pin and (int(pin[1]), int(pin[2])) >= MIN_STREAMLIT, "requirements.txt must pin streamlit>=1.54"
