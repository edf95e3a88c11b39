"""``python -m socialfund ideas``: the fund-ideas ranking and its out-of-sample evidence.

* ``ideas [--as-of YYYY-MM-DD] [--method composite|model] [--preset NAME] [--top 10] --json``:
  a JSON list of ``{code, name, score, rank, contributions}`` for the decision session
  on or before ``--as-of`` (default: the next session after the last close), best first.
* ``ideas evidence [--method ...] [--preset NAME] --json``: ``{mean_ic, ic_tstat,
  hit_rate, quintile_spread, n_dates, ...}`` on non-overlapping 20-session dates, plus
  the plain verdict.
Without ``--json`` a readable table / summary is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socialfund.ideas.features import FeatureSet, IdeasInputs
    from socialfund.ideas.scoring import Scores

PRESET_NAMES = ("balanced", "momentum", "contrarian_sentiment", "follow_the_best")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("ideas", help="fund ideas: ranking (default) or its evidence")
    parser.add_argument("action", nargs="?", choices=("list", "evidence"), default="list",
                        help="list (default): the ranking; evidence: out-of-sample rank-IC statistics")
    parser.add_argument("--as-of", dest="as_of", default=None, help="ranking date YYYY-MM-DD (before its open)")
    parser.add_argument("--method", choices=("composite", "model"), default="composite")
    parser.add_argument("--preset", choices=PRESET_NAMES, default="balanced",
                        help="composite weight preset (default balanced)")
    parser.add_argument("--top", type=int, default=10, help="how many funds to list (default 10)")
    parser.add_argument("--lang", choices=("zh", "en"), default="en", help="language of names and verdict")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=cmd_ideas)


def _compute(args: argparse.Namespace) -> tuple[IdeasInputs, FeatureSet, Scores]:
    from socialfund.cli.common import open_services
    from socialfund.ideas.features import build_features
    from socialfund.ideas.scoring import preset_weights, run_scores
    from socialfund.services.ideas import load_inputs

    store, provider, _ = open_services(args)
    inputs = load_inputs(store, provider)
    fs = build_features(inputs)
    scores = run_scores(fs, args.method, preset_weights(args.preset) if args.method == "composite" else None)
    return inputs, fs, scores


def cmd_ideas(args: argparse.Namespace) -> int:
    from socialfund.cli.common import print_record
    from socialfund.core.errors import ValidationError
    from socialfund.ideas.evidence import evidence
    from socialfund.ideas.ranking import contributions_dict, parse_as_of, ranked_list, resolve_session
    from socialfund.view.ideas_text import verdict_text

    if args.top < 1:
        raise ValidationError(f"--top must be at least 1, got {args.top}")
    if args.as_of is not None:
        args.as_of = parse_as_of(args.as_of)  # a bad date fails before the heavy work
    inputs, fs, scores = _compute(args)
    if args.action == "evidence":
        ev = evidence(fs, scores)
        out = ev.as_dict()
        out["verdict_text"] = verdict_text(ev, args.lang, is_demo=fs.is_demo)
        print_record(out, args.json)
        return 0
    table = ranked_list(fs, scores, args.as_of, top=args.top)
    names = {r["code"]: (r["name_zh"] if args.lang == "zh" else r["name_en"]) for r in inputs.funds.to_dict("records")}
    rows = [{"code": r["code"], "name": names.get(r["code"], r["code"]), "score": round(float(r["score"]), 6),
             "rank": int(r["rank"]), "contributions": contributions_dict(r)} for r in table.to_dict("records")]
    if not rows:
        # an empty ranking is an answer, but say why (e.g. too little history at an early --as-of)
        print(f"note: no fund could be scored for {resolve_session(fs, args.as_of).date()}: "
              "each needs 120 sessions of prices and recent posts before that session", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        session = resolve_session(fs, args.as_of).date()
        print(f"{args.method} ranking for {session} (before the open); not investment advice")
        for r in rows:
            print(f"{r['rank']:>3}  {r['code']:<10} {r['score']:+.3f}  {r['name']}")
    return 0
