"""The demo discussion (``data/discussion.csv``): threads written "in the app" by the demo
community over the demo window's last 120 days, with 看多/看空 self-tags, replies one level
deep and likes. Demo data: loaded with source ``demo:discussion`` and flagged ``is_demo``.

Run ``python -m socialfund.demo.discussion [--out data] [--seed N]``. Its own
``RandomState`` stream (stage 11 of the single demo seed) so the other demo files are never
reshuffled; the file is byte-identical on every run.

Self-tags follow the text's tone most of the time (a bullish text is tagged 看多 with
probability 0.55, 看空 0.05, untagged otherwise; mirrored for bearish; neutral texts are
tagged either way with probability 0.1 each): enough agreement and disagreement between
self-tags and a scorer to be worth showing.
"""

from __future__ import annotations

import argparse
import csv
from datetime import timedelta
from pathlib import Path

from socialfund.demo import DEMO_SEED
from socialfund.demo.common import END, iso_at, stage_rng
from socialfund.demo.forum import compose_post
from socialfund.demo.universe import UNIVERSE
from socialfund.demo.users import make_users

STAGE = 11
N_THREADS = 900
DAYS = 120
FILE = "discussion.csv"
HEADER = ("post_key", "parent_key", "author_id", "code", "published_at", "self_tag", "likes", "cashtags", "text")
TAG_GIVEN_TONE = {"pos": (0.55, 0.05), "neg": (0.05, 0.55), "neu": (0.10, 0.10)}   # (P bull, P bear)
REPLIES = {
    "pos": ("同意，拿住", "我也加仓了", "说得好，看多", "跟上了", "稳住，别下车", "一起吃肉"),
    "neg": ("别太悲观", "我也被套了", "割了吗？", "等反弹再说", "同感，先减仓", "熬吧"),
    "neu": ("有道理", "关注一下", "楼主怎么看后市？", "学习了", "mark", "同问"),
}


def make_discussion(seed: int = DEMO_SEED) -> list[tuple[object, ...]]:
    """Rows of ``HEADER`` (``cashtags``: the resolved codes the text links, space-separated):
    top-level posts then (right after each) their replies, oldest first
    within a thread; ``parent_key`` empty for top-level posts."""
    rs = stage_rng(seed, STAGE)
    users = [u.user_id for u in make_users(seed)]
    insts = [i for i in UNIVERSE if i.kind != "index" and i.forum_popularity > 0]
    pop = [float(i.forum_popularity) for i in insts]
    weights = [p / sum(pop) for p in pop]
    start = END - timedelta(days=DAYS)
    tops: list[tuple[int, str, tuple[object, ...], list[tuple[object, ...]]]] = []
    for k in range(N_THREADS):
        inst = insts[int(rs.choice(len(insts), p=weights))]
        day = start + timedelta(days=int(rs.randint(DAYS)))
        secs = int(rs.randint(8 * 3600, 23 * 3600))
        tone = ("pos", "neg", "neu")[int(rs.choice(3, p=[0.4, 0.3, 0.3]))]
        others = [a for i in insts if i.code != inst.code for a in i.aliases]
        text = compose_post(rs, tone, name_zh=inst.name_zh, short_code=inst.short_code, aliases=inst.aliases,
                            other_aliases=others, handles=(), move_pct=0.0)
        p_bull, p_bear = TAG_GIVEN_TONE[tone]
        u = rs.random_sample()
        tag = "bull" if u < p_bull else "bear" if u < p_bull + p_bear else ""
        linked = ""
        if rs.random_sample() < 0.1:                 # now and then a cashtag to a second fund
            other = insts[int(rs.randint(len(insts)))]
            text += f" ${other.short_code}$"
            linked = other.code
        author = users[int(rs.randint(len(users)))]
        key = f"d{k + 1}"
        top: tuple[object, ...] = (key, "", author, inst.code, iso_at(day, secs), tag, int(rs.poisson(2.0)), linked, text)
        replies: list[tuple[object, ...]] = []
        for j in range(int(rs.poisson(0.8))):
            replier = users[int(rs.randint(len(users)))]
            later = min(secs + int(rs.randint(60, 6 * 3600)) * (j + 1), 24 * 3600 - 1)
            rtone = tone if rs.random_sample() < 0.7 else ("pos", "neg", "neu")[int(rs.randint(3))]
            rtag = "" if rs.random_sample() < 0.7 else ("bull" if rtone == "pos" else "bear" if rtone == "neg" else "")
            replies.append((f"{key}r{j + 1}", key, replier, inst.code, iso_at(day, later), rtag,
                            int(rs.poisson(0.5)), "", REPLIES[rtone][int(rs.randint(len(REPLIES[rtone])))]))
        tops.append((day.toordinal() * 86400 + secs, key, top, replies))
    rows: list[tuple[object, ...]] = []
    for _, _, top, replies in sorted(tops, key=lambda t: (t[0], t[1])):
        rows.append(top)
        rows.extend(sorted(replies, key=lambda r: (str(r[4]), str(r[0]))))
    return rows


def write_discussion(out_dir: Path, seed: int = DEMO_SEED) -> int:
    """Write ``discussion.csv`` into ``out_dir`` (UTF-8, no BOM, ``\\n``); returns its data rows."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = make_discussion(seed)
    with (out_dir / FILE).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialfund.demo.discussion",
                                     description="Write the demo discussion (data/discussion.csv).")
    parser.add_argument("--out", type=Path, default=Path("data"))
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    args = parser.parse_args(argv)
    print(f"{FILE}: {write_discussion(args.out, args.seed)} rows -> {args.out}")
    return 0



if __name__ == "__main__":
    raise SystemExit(main())
