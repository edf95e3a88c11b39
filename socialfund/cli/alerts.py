"""``python -m socialfund alerts``: alert rules, their evaluation after a data refresh, the inbox.

    python -m socialfund alerts add --as USER --rule sentiment_shift|drawdown|rebalance|top_idea|reply
                                    [--fund CODE] [--portfolio ID] [--threshold X]
    python -m socialfund alerts rules --as USER
    python -m socialfund alerts remove RULE --as USER
    python -m socialfund alerts run [--as-of YYYY-MM-DD] [--json]
    python -m socialfund alerts list --as USER [--unread] [--json]
    python -m socialfund alerts read --as USER [--event ID ...]
    python -m socialfund alerts webhook --as USER --url URL     (--url '' removes it)

``run`` evaluates every rule on the data as of the last session (``services.alert_rules``),
prints the events raised (none on a second run over the same data), then tries the webhook
deliveries that are due. ``USER`` as in ``discuss`` (``local`` = the local owner). Exit
codes: 0 done, 2 rejected (bad input, not allowed, not found) with one line on stderr and
nothing stored.
"""

from __future__ import annotations

import argparse
from typing import Any

RULE_NAMES = ("sentiment_shift", "drawdown", "rebalance", "top_idea", "reply")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("alerts", help="alert rules, alerts run, inbox, webhook",
                                   description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="alerts_command", required=True)

    def cmd(name: str, help_text: str, func: Any, *, actor: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        if actor:
            p.add_argument("--as", dest="user", required=True, metavar="USER",
                           help="acting user's key ('local' = the local owner)")
        p.add_argument("--json", action="store_true", help="print one JSON object")
        p.set_defaults(func=func)
        return p

    add = cmd("add", "add an alert rule", _add)
    add.add_argument("--rule", required=True, choices=RULE_NAMES)
    add.add_argument("--fund", metavar="CODE", default=None)
    add.add_argument("--portfolio", type=int, metavar="ID", default=None)
    add.add_argument("--threshold", type=float, metavar="X", default=None,
                     help="|z| (sentiment_shift, default 2), drawdown percent (default 10), top N (default 10)")
    cmd("rules", "list your alert rules", _rules)
    cmd("remove", "delete one of your alert rules", _remove).add_argument("rule_id", type=int, metavar="RULE")
    run = cmd("run", "evaluate every rule; print the events raised; deliver webhooks", _run, actor=False)
    run.add_argument("--as-of", dest="as_of", default=None, metavar="YYYY-MM-DD",
                     help="evaluate on the data up to this date (default: the latest session)")
    run.add_argument("--no-deliver", action="store_true", help="do not attempt webhook deliveries")
    lst = cmd("list", "print your inbox, newest first", _list)
    lst.add_argument("--unread", action="store_true")
    cmd("read", "mark events read (all without --event)", _read).add_argument(
        "--event", type=int, action="append", default=None, metavar="ID")
    cmd("webhook", "set (or with --url '' remove) your webhook URL", _webhook).add_argument("--url", required=True)


def _store_actor(args: argparse.Namespace) -> tuple[Any, int | None]:
    from socialfund.cli.discuss import _actor, _store

    store = _store()
    return store, _actor(store, args.user)


def _rule_record(rule: Any) -> dict[str, Any]:
    return {"id": rule.id, "rule": rule.rule, "fund": rule.fund_code, "portfolio": rule.portfolio_id,
            "threshold": rule.limit if rule.rule in ("sentiment_shift", "drawdown", "top_idea") else None,
            "created_at": rule.created_at.isoformat() + "Z"}


def _add(args: argparse.Namespace) -> int:
    from socialfund.cli.common import print_record
    from socialfund.services import alert_rules

    store, actor = _store_actor(args)
    rule = alert_rules.add_rule(store, actor, args.rule, fund=args.fund, portfolio=args.portfolio,
                                threshold=args.threshold)
    print_record(_rule_record(rule), args.json)
    return 0


def _rules(args: argparse.Namespace) -> int:
    import json

    from socialfund.services import alert_rules

    store, actor = _store_actor(args)
    records = [_rule_record(r) for r in alert_rules.rules(store, actor)]
    if args.json:
        print(json.dumps({"rules": records}, ensure_ascii=False))
    else:
        for r in records:
            subject = r["fund"] or (f"portfolio {r['portfolio']}" if r["portfolio"] else "(default subjects)")
            print(f"rule {r['id']}: {r['rule']} {subject}" + (f" threshold {r['threshold']}" if r["threshold"] else ""))
    return 0


def _remove(args: argparse.Namespace) -> int:
    from socialfund.services import alert_rules

    store, actor = _store_actor(args)
    alert_rules.delete_rule(store, actor, args.rule_id)
    print(f"removed rule {args.rule_id}")
    return 0


def _print_events(events: list[Any], as_json: bool, key: str, extra: dict[str, Any] | None = None) -> None:
    import json

    from socialfund.services.alert_rules import event_record

    records = [event_record(e) for e in events]
    if as_json:
        print(json.dumps({key: records, **(extra or {})}, ensure_ascii=False))
        return
    for r in records:
        mark = "" if r["read"] else "* "
        print(f"{mark}event {r['id']}: {r['rule']} {r['subject']} session {r['session']} value {r['value']}")
    for k, v in (extra or {}).items():
        print(f"{k}: {v}")


def _run(args: argparse.Namespace) -> int:
    from socialfund.cli.common import open_services
    from socialfund.ideas.ranking import parse_as_of
    from socialfund.services import alert_rules, alerts

    as_of = parse_as_of(args.as_of) if args.as_of else None
    store, provider, _ = open_services(args)
    events = alert_rules.run_alerts(store, as_of, provider=provider)
    delivered = {"delivered": 0, "failed": 0} if args.no_deliver else alerts.deliver_pending(store)
    _print_events(events, args.json, "events", {"webhooks": delivered})
    if not args.json:
        print(f"{len(events)} event(s) raised")
    return 0


def _list(args: argparse.Namespace) -> int:
    from socialfund.services import alert_rules

    store, actor = _store_actor(args)
    events = alert_rules.inbox(store, actor, unread_only=args.unread)
    _print_events(events, args.json, "events", {"unread": alert_rules.unread_count(store, actor)})
    return 0


def _read(args: argparse.Namespace) -> int:
    from socialfund.cli.common import print_record
    from socialfund.services import alert_rules

    store, actor = _store_actor(args)
    print_record({"marked_read": alert_rules.mark_read(store, actor, args.event)}, args.json)
    return 0


def _webhook(args: argparse.Namespace) -> int:
    from socialfund.cli.common import print_record
    from socialfund.services import alert_rules

    store, actor = _store_actor(args)
    alert_rules.set_webhook(store, actor, args.url)
    print_record({"webhook": alert_rules.webhook(store, actor)}, args.json)
    return 0
