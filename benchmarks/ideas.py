"""Benchmark: the full fund-ideas walk-forward on the demo universe.

    .venv/bin/python benchmarks/ideas.py

Builds a fresh SQLite store with the demo data in a temporary directory (not timed), then
times, end to end: loading inputs through the services (prices on the session axis,
post scores — scored now, the score cache starts empty —, public portfolios and their
versions), every feature for every fund and session (incl. the monthly deflated-Sharpe
schedule), the composite scores of every preset, the walk-forward model, and the evidence
of each. Prints one JSON object; ``seconds`` is the total, ``stages`` the parts.
Target: < 10 s on the 2-core development machine.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="socialfund-bench-") as data_dir:
        os.environ["SOCIALFUND_DATA_DIR"] = data_dir
        os.environ.pop("SOCIALFUND_DATABASE_URL", None)
        os.environ["SOCIALFUND_MARKET_PROVIDER"] = "demo"
        from socialfund.ideas.evidence import evidence
        from socialfund.ideas.features import build_features
        from socialfund.ideas.scoring import PRESETS, composite_scores, preset_weights, walk_forward_model
        from socialfund.market.providers import DemoProvider
        from socialfund.services.ideas import load_inputs
        from socialfund.store import open_store
        from socialfund.store.demo import ensure_demo
        import sklearn.linear_model  # noqa: F401 - import time is not the walk-forward's

        store = open_store()
        ensure_demo(store)
        provider = DemoProvider()
        stages: dict[str, float] = {}
        start = time.perf_counter()
        t = time.perf_counter()
        inputs = load_inputs(store, provider)
        stages["load_and_score_posts"] = time.perf_counter() - t
        t = time.perf_counter()
        fs = build_features(inputs)
        stages["features"] = time.perf_counter() - t
        t = time.perf_counter()
        results = {}
        for preset in PRESETS:
            scores = composite_scores(fs, preset_weights(preset))
            results[f"composite:{preset}"] = evidence(fs, scores).as_dict()
        stages["composite_all_presets_with_evidence"] = time.perf_counter() - t
        t = time.perf_counter()
        model = walk_forward_model(fs)
        results["model"] = evidence(fs, model).as_dict()
        stages["model_walk_forward_with_evidence"] = time.perf_counter() - t
        seconds = time.perf_counter() - start
        print(json.dumps({
            "seconds": round(seconds, 2), "stages": {k: round(v, 2) for k, v in stages.items()},
            "funds": int(len(inputs.funds)), "sessions": int(len(fs.sessions)), "posts": int(len(inputs.posts)),
            "public_portfolios": int(len(inputs.versions)), "retrains": int(len(model.models)),
            "evidence": {k: {"mean_ic": v["mean_ic"], "ic_tstat": v["ic_tstat"], "verdict": v["verdict"]}
                         for k, v in results.items()},
        }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
