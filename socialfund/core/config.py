"""Settings from environment variables (one place, read once per call, no globals).

| variable                    | default                         | meaning |
|-----------------------------|---------------------------------|---------|
| SOCIALFUND_DATA_DIR         | ``<repo>/var``                  | runtime directory (SQLite database, caches) |
| SOCIALFUND_DATABASE_URL     | ``sqlite:///<data dir>/socialfund.db`` | SQLAlchemy URL; ``postgresql+psycopg://...`` for PostgreSQL |
| SOCIALFUND_MARKET_PROVIDER  | ``demo``                        | ``demo`` (offline), ``csv``, ``yfinance`` or ``akshare`` |
| SOCIALFUND_PRICES_CSV       | (none)                          | prices file for the ``csv`` provider (``date,code,close``) |
| SOCIALFUND_SCORER           | ``finance``                     | default sentiment scorer (``finance``, ``snownlp``, ``model:PATH``) |
| SOCIALFUND_LANG             | ``zh``                          | default UI language (``zh`` or ``en``) |
| SOCIALFUND_RISK_FREE        | ``0.015``                       | annual risk-free rate used by Sharpe/Sortino (1.5 % ≈ CN 1Y deposit + margin) |
| SOCIALFUND_DEMO             | ``1``                           | ``0``: never load the demo community, posts and prices into the store |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from socialfund.core.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_DATA_DIR = REPO_ROOT / "data"
MARKET_PROVIDERS = ("demo", "csv", "yfinance", "akshare")
#: The providers that keep their price cache in the store (``get_provider`` needs it for them).
STORE_BACKED_PROVIDERS = ("yfinance", "akshare")
LANGUAGES = ("zh", "en")
#: The spellings SOCIALFUND_DEMO accepts.
DEMO_FLAGS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    market_provider: str
    prices_csv: Path | None
    scorer: str
    language: str
    risk_free: float
    demo: bool = True

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read and validate settings; a bad value raises ``ConfigError`` with one clear line."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("SOCIALFUND_DATA_DIR") or (REPO_ROOT / "var")).expanduser()
    url = env.get("SOCIALFUND_DATABASE_URL") or f"sqlite:///{data_dir / 'socialfund.db'}"
    provider = (env.get("SOCIALFUND_MARKET_PROVIDER") or "demo").strip().lower()
    if provider not in MARKET_PROVIDERS:
        raise ConfigError(
            f"SOCIALFUND_MARKET_PROVIDER={provider!r} is not a market data provider; "
            f"use one of {', '.join(MARKET_PROVIDERS)}")
    prices_csv = env.get("SOCIALFUND_PRICES_CSV")
    if provider == "csv" and not prices_csv:
        raise ConfigError("SOCIALFUND_MARKET_PROVIDER=csv needs SOCIALFUND_PRICES_CSV=<path to date,code,close file>")
    language = (env.get("SOCIALFUND_LANG") or "zh").strip().lower()
    if language not in LANGUAGES:
        raise ConfigError(f"SOCIALFUND_LANG={language!r} is not supported; use zh or en")
    try:
        risk_free = float(env.get("SOCIALFUND_RISK_FREE") or 0.015)
    except ValueError:
        raise ConfigError(f"SOCIALFUND_RISK_FREE={env.get('SOCIALFUND_RISK_FREE')!r} is not a number "
                          "(an annual rate such as 0.015)") from None
    demo_flag = (env.get("SOCIALFUND_DEMO") or "1").strip().lower()
    if demo_flag not in DEMO_FLAGS:
        raise ConfigError(f"SOCIALFUND_DEMO={demo_flag!r} is not a switch; use 1 (load the demo data) or 0 (never)")
    return Settings(
        data_dir=data_dir,
        database_url=url,
        market_provider=provider,
        prices_csv=Path(prices_csv) if prices_csv else None,
        scorer=(env.get("SOCIALFUND_SCORER") or "finance").strip(),
        language=language,
        risk_free=risk_free,
        demo=DEMO_FLAGS[demo_flag],
    )
