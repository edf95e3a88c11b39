from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from socialfund.core.config import load_settings
from socialfund.core.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent


def test_defaults_are_offline_demo_sqlite(tmp_path: Path) -> None:
    s = load_settings({"SOCIALFUND_DATA_DIR": str(tmp_path)})
    assert s.market_provider == "demo"
    assert s.database_url == f"sqlite:///{tmp_path / 'socialfund.db'}"
    assert s.language == "zh" and s.scorer == "finance" and s.is_sqlite


@pytest.mark.parametrize("env, fragment", [
    ({"SOCIALFUND_MARKET_PROVIDER": "bloomberg"}, "'bloomberg' is not a market data provider"),
    ({"SOCIALFUND_MARKET_PROVIDER": "csv"}, "needs SOCIALFUND_PRICES_CSV"),
    ({"SOCIALFUND_LANG": "fr"}, "'fr' is not supported"),
    ({"SOCIALFUND_RISK_FREE": "two percent"}, "is not a number"),
])
def test_bad_settings_name_the_variable(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_settings(env)


def _cli(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    import os
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-m", "socialfund", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("env_extra, fragment", [
    ({"SOCIALFUND_MARKET_PROVIDER": "bloomberg"}, "SOCIALFUND_MARKET_PROVIDER='bloomberg'"),
    ({"SOCIALFUND_DATABASE_URL": "postgresql://nobody:secret@127.0.0.1:9/none"}, "cannot reach database"),
    ({"SOCIALFUND_DATABASE_URL": "mysql://x@127.0.0.1/db"}, "supports sqlite and postgresql"),
])
def test_bad_configuration_is_one_clear_line_not_a_traceback(env_extra: dict[str, str], fragment: str) -> None:
    out = _cli(env_extra, "init-demo")
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert fragment in lines[0]
    assert "Traceback" not in out.stderr
    assert "secret" not in out.stderr  # the password is redacted


def test_corrupt_prices_csv_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "prices.csv"
    bad.write_text("date,code,close\n2024-01-02,510300.SS,3.5\n2024-01-03,510300.SS,-1\n", encoding="utf-8")
    out = _cli({"SOCIALFUND_MARKET_PROVIDER": "csv", "SOCIALFUND_PRICES_CSV": str(bad)}, "market", "check")
    assert out.returncode == 2
    line = out.stderr.strip()
    assert "\n" not in line and "line 3" in line and "close" in line and str(bad) in line
