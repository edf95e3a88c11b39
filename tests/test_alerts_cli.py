"""``python -m socialfund alerts``: add / rules / remove / run / list / read / webhook with the
usual exit codes (0 done, 2 rejected with one ``error:`` line on stderr and nothing stored);
``alerts run`` prints the events raised, none on a second run."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, insert, select

from socialfund.cli import main
from socialfund.store import open_store, schema


@pytest.fixture()
def store(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", url)
    monkeypatch.setenv("SOCIALFUND_DEMO", "0")
    monkeypatch.setenv("SOCIALFUND_MARKET_PROVIDER", "demo")
    monkeypatch.setenv("SOCIALFUND_POSTS_PER_MINUTE", "0")
    s = open_store(url)
    with s.write() as conn:
        conn.execute(insert(schema.instruments), [
            {"code": c, "name_zh": c, "name_en": c, "kind": "etf", "market": "SSE", "currency": "CNY",
             "yahoo": None, "category": "equity", "calendar": "XSHG"} for c in ("510300.SS", "159915.SZ")])
    return s


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_reply_alert_raised_once_listed_and_read(store, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "alerts", "add", "--as", "local", "--rule", "reply", "--json")
    assert code == 0, err
    rule = json.loads(out)
    assert rule["rule"] == "reply" and rule["threshold"] is None
    code, out, _ = run(capsys, "discuss", "post", "--fund", "510300", "--text", "看好", "--tag", "bull",
                       "--as", "local", "--json")
    post = json.loads(out)
    assert run(capsys, "discuss", "reply", str(post["id"]), "--text", "同意", "--as", "bob")[0] == 0

    code, out, err = run(capsys, "alerts", "run", "--json")
    assert code == 0, err
    result = json.loads(out)
    [event] = result["events"]
    assert event["rule"] == "reply" and event["detail"]["parent_id"] == post["id"] and not event["read"]
    assert result["webhooks"] == {"delivered": 0, "failed": 0}
    code, out, _ = run(capsys, "alerts", "run", "--json")
    assert code == 0 and json.loads(out)["events"] == []
    code, out, _ = run(capsys, "alerts", "run")
    assert code == 0 and "0 event(s) raised" in out

    code, out, _ = run(capsys, "alerts", "list", "--as", "local", "--json")
    listed = json.loads(out)
    assert [e["id"] for e in listed["events"]] == [event["id"]] and listed["unread"] == 1
    assert json.loads(run(capsys, "alerts", "list", "--as", "bob", "--json")[1])["events"] == []
    code, out, _ = run(capsys, "alerts", "read", "--as", "local", "--json")
    assert code == 0 and json.loads(out) == {"marked_read": 1}
    assert json.loads(run(capsys, "alerts", "list", "--as", "local", "--json")[1])["unread"] == 0


def test_drawdown_rule_on_the_demo_prices_runs_idempotently(store, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(capsys, "alerts", "add", "--as", "local", "--rule", "drawdown", "--fund", "510300.SS",
               "--threshold", "0.001")[0] == 0
    code, out, err = run(capsys, "alerts", "run", "--as-of", "2025-06-30", "--json")
    assert code == 0, err
    first = json.loads(out)["events"]
    assert len(first) == 1, first            # below its running peak by more than 0.001 %
    assert all(e["rule"] == "drawdown" and e["session"] <= "2025-06-30" and e["value"] <= -0.001 for e in first)
    code, out, _ = run(capsys, "alerts", "run", "--as-of", "2025-06-30", "--json")
    assert json.loads(out)["events"] == []


def test_rules_remove_and_webhook(store, capsys) -> None:  # type: ignore[no-untyped-def]
    rid = json.loads(run(capsys, "alerts", "add", "--as", "local", "--rule", "top_idea", "--threshold", "5",
                         "--json")[1])["id"]
    code, out, _ = run(capsys, "alerts", "rules", "--as", "local", "--json")
    assert [r["threshold"] for r in json.loads(out)["rules"]] == [5.0]
    assert run(capsys, "alerts", "remove", str(rid), "--as", "local")[0] == 0
    assert json.loads(run(capsys, "alerts", "rules", "--as", "local", "--json")[1])["rules"] == []
    code, out, _ = run(capsys, "alerts", "webhook", "--as", "local", "--url", "http://127.0.0.1:9/h", "--json")
    assert code == 0 and json.loads(out) == {"webhook": "http://127.0.0.1:9/h"}


@pytest.mark.parametrize("argv, message", [
    (["add", "--as", "local", "--rule", "drawdown", "--fund", "999999"], "not in the universe"),
    (["add", "--as", "local", "--rule", "drawdown", "--threshold", "120"], "below 100"),
    (["add", "--as", "local", "--rule", "rebalance", "--portfolio", "77"], "portfolio 77 not found"),
    (["add", "--as", "local", "--rule", "reply", "--fund", "510300.SS"], "takes no fund"),
    (["add", "--as", "anonymous", "--rule", "reply"], "sign in"),
    (["add", "--as", "demo:3", "--rule", "reply"], "read-only"),
    (["remove", "5", "--as", "local"], "rule 5 not found"),
    (["webhook", "--as", "local", "--url", "file:///etc/passwd"], "http"),
    (["run", "--as-of", "not-a-date"], "date"),
])
def test_bad_input_exits_2_with_one_line_and_stores_nothing(store, capsys, argv, message) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "alerts", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err, err
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(schema.alert_rules)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(schema.user_webhooks)).scalar_one() == 0


def test_unknown_rule_is_a_usage_error(store, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        main(["alerts", "add", "--as", "local", "--rule", "moon"])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err
