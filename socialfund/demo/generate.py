"""Generate the offline demo data set (``data/*.csv``) from one fixed seed.

Run ``python -m socialfund.demo.generate [--out data] [--seed N]``. Every random draw
comes from numpy's legacy ``RandomState`` (its streams are frozen across numpy
versions), one stream per stage derived from the single seed, so the files are
byte-identical on every run. The layout follows the demo data contract: UTF-8
without BOM, ``\\n`` line endings, a header row, rows sorted deterministically
(prices by date then code, everything else by id).

Nothing here is real market data: prices come from a factor model, the community
and the posts are invented. Only the instrument codes and names are real.

The stages live in ``demo.prices``, ``demo.users``, ``demo.portfolios``,
``demo.follows`` and ``demo.posts``; this module orchestrates them and writes the files.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from socialfund.demo import DEMO_SEED
from socialfund.demo.follows import make_copies, make_follows
from socialfund.core.money_fund import MONEY_FUND_FILE, MONEY_FUND_HEADER
from socialfund.demo.money_fund import money_fund_rows
from socialfund.demo.portfolios import make_portfolios
from socialfund.demo.posts import make_posts
from socialfund.demo.prices import fx_rows, price_rows, simulate_prices
from socialfund.demo.universe import UNIVERSE
from socialfund.demo.users import make_users

FILES = ("universe.csv", "prices.csv", "users.csv", "portfolios.csv",
         "portfolio_versions.csv", "portfolio_weights.csv", "follows.csv", "copies.csv",
         "posts.csv", "fx.csv", MONEY_FUND_FILE)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a UTF-8 CSV with ``\\n`` endings (no BOM); return the number of data rows."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def universe_rows() -> list[tuple[str, ...]]:
    return sorted((i.code, i.name_zh, i.name_en, i.kind, i.market, i.currency, i.yahoo,
                   i.category, i.calendar) for i in UNIVERSE)


def generate(out_dir: Path, seed: int = DEMO_SEED) -> dict[str, int]:
    """Write every demo CSV into ``out_dir``; return data-row counts per file name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    counts["universe.csv"] = write_csv(
        out_dir / "universe.csv",
        ("code", "name_zh", "name_en", "kind", "market", "currency", "yahoo", "category",
         "calendar"), universe_rows())
    book = simulate_prices(seed)
    counts["prices.csv"] = write_csv(out_dir / "prices.csv", ("date", "code", "close", "source"),
                                     price_rows(book))
    counts["fx.csv"] = write_csv(out_dir / "fx.csv", ("date", "code", "close", "source"), fx_rows(seed))
    counts[MONEY_FUND_FILE] = write_csv(out_dir / MONEY_FUND_FILE, MONEY_FUND_HEADER, money_fund_rows(seed))
    users = make_users(seed)
    counts["users.csv"] = write_csv(
        out_dir / "users.csv", ("user_id", "handle", "display_name", "joined_on"),
        ((u.user_id, u.handle, u.display_name, u.joined_on.isoformat()) for u in users))
    portfolios = make_portfolios(seed, users, book)
    counts["portfolios.csv"] = write_csv(
        out_dir / "portfolios.csv",
        ("portfolio_id", "owner_id", "name", "description", "style", "visibility",
         "created_on", "closed_on"),
        ((p.portfolio_id, p.owner_id, p.name, p.description, p.style, p.visibility,
          p.created_on.isoformat(), p.closed_on.isoformat() if p.closed_on else "")
         for p in portfolios))
    counts["portfolio_versions.csv"] = write_csv(
        out_dir / "portfolio_versions.csv", ("portfolio_id", "version", "placed_at", "note"),
        ((p.portfolio_id, v, placed, note) for p in portfolios
         for v, (placed, note, _) in enumerate(p.versions, start=1)))
    counts["portfolio_weights.csv"] = write_csv(
        out_dir / "portfolio_weights.csv", ("portfolio_id", "version", "code", "weight_bp"),
        ((p.portfolio_id, v, code, bp) for p in portfolios
         for v, (_, _, weights) in enumerate(p.versions, start=1) for code, bp in weights))
    counts["follows.csv"] = write_csv(out_dir / "follows.csv",
                                      ("user_id", "portfolio_id", "since"),
                                      make_follows(seed, users, portfolios))
    counts["copies.csv"] = write_csv(
        out_dir / "copies.csv",
        ("copy_id", "user_id", "portfolio_id", "started_on", "amount_cny", "fee_bps",
         "delay_sessions", "min_position_cny", "stop_loss_pct"),
        make_copies(seed, users, portfolios))
    counts["posts.csv"] = write_csv(
        out_dir / "posts.csv",
        ("post_id", "code", "text", "author", "published_at", "reads", "comments", "source"),
        make_posts(seed, users, book))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialfund.demo.generate",
                                     description="Write the offline demo data set.")
    parser.add_argument("--out", type=Path, default=Path("data"),
                        help="output folder (default: data)")
    parser.add_argument("--seed", type=int, default=DEMO_SEED,
                        help=f"RandomState seed (default: {DEMO_SEED}, the committed data)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(args.out, args.seed)
    elapsed = time.perf_counter() - t0
    total = 0
    for name in FILES:
        size = (args.out / name).stat().st_size
        total += size
        print(f"{name:24s} {counts[name]:>7d} rows {size / 1024:>9.1f} KiB")
    print(f"{'total':24s} {sum(counts.values()):>7d} rows {total / 1024:>9.1f} KiB "
          f"in {elapsed:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
