"""``python -m socialfund discuss``: write and moderate the discussion on funds and portfolios.

    python -m socialfund discuss post --fund CODE --text TEXT [--tag bull|bear] --as USER
    python -m socialfund discuss post --portfolio ID --text TEXT [--tag bull|bear] --as USER
    python -m socialfund discuss reply POST --text TEXT [--tag bull|bear] --as USER
    python -m socialfund discuss like POST --as USER [--undo]
    python -m socialfund discuss report POST --as USER [--reason TEXT]
    python -m socialfund discuss hide POST --as USER [--undo]
    python -m socialfund discuss approve POST --as USER
    python -m socialfund discuss delete POST --as USER
    python -m socialfund discuss show (--fund CODE | --portfolio ID) [--as USER]
    python -m socialfund discuss reports --as USER
    python -m socialfund discuss editor add|remove USER

``USER`` is a user key (``local:alice``, ``oidc:…``) or a bare name (``alice`` = ``local:alice``);
``local`` names the local-mode owner (``local:owner``); ``anonymous`` is a signed-out visitor
(``show`` defaults to it). Demo users are read-only. Every permission and limit is the
library's (``services.discussion``). ``--json`` prints one JSON object. Exit codes: 0 done,
2 rejected (bad input, not allowed, not found, rate limit) with one line on stderr and
nothing stored.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socialfund.services.discussion import PostView
    from socialfund.store import Store

LOCAL_OWNER = "local:owner"
ANONYMOUS = "anonymous"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("discuss", help="discussion on funds and portfolios: post, reply, moderate",
                                   description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="discuss_command", required=True)

    def cmd(name: str, help_text: str, func: Any, *, post_id: bool = True, actor: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        if post_id:
            p.add_argument("post", type=int, metavar="POST", help="post id")
        if actor:
            p.add_argument("--as", dest="user", required=True, metavar="USER",
                           help="acting user's key ('local' = the local owner)")
        p.add_argument("--json", action="store_true", help="print one JSON object")
        p.set_defaults(func=func)
        return p

    post = cmd("post", "write a post on a fund's or a portfolio's thread", _post, post_id=False)
    where = post.add_mutually_exclusive_group(required=True)
    where.add_argument("--fund", metavar="CODE", help="fund code (510300, 510300.SS, …)")
    where.add_argument("--portfolio", type=int, metavar="ID", help="portfolio id")
    post.add_argument("--text", required=True)
    post.add_argument("--tag", choices=("bull", "bear"), default=None, help="self-tag: bull (看多) or bear (看空)")
    reply = cmd("reply", "reply to a post (one level deep)", _reply)
    reply.add_argument("--text", required=True)
    reply.add_argument("--tag", choices=("bull", "bear"), default=None)
    cmd("like", "like a post (--undo: unlike)", _like).add_argument("--undo", action="store_true")
    cmd("report", "report a post to the editors", _report).add_argument("--reason", default="")
    cmd("hide", "hide a post (editors; the portfolio's owner) (--undo: show it again)",
        _hide).add_argument("--undo", action="store_true")
    cmd("approve", "publish a post held for a blocked word (editors)", _approve)
    cmd("delete", "delete your own post", _delete)
    show = cmd("show", "print a thread as USER sees it", _show, post_id=False, actor=False)
    show.add_argument("--as", dest="user", default=ANONYMOUS, metavar="USER", help="default: anonymous")
    swhere = show.add_mutually_exclusive_group(required=True)
    swhere.add_argument("--fund", metavar="CODE")
    swhere.add_argument("--portfolio", type=int, metavar="ID")
    cmd("reports", "list reports (editors)", _reports, post_id=False)
    editor = sub.add_parser("editor", help="grant or revoke the editor role (administration)")
    editor.add_argument("action", choices=("add", "remove"))
    editor.add_argument("user", metavar="USER")
    editor.set_defaults(func=_editor, json=False)


def _store() -> Store:
    from socialfund.cli.common import configured_store

    store: Store = configured_store()[0]
    return store


def user_key(text: str) -> str | None:
    """The user key ``--as`` names (None for ``anonymous``)."""
    name = text.strip()
    if name == ANONYMOUS:
        return None
    if name == "local":
        return LOCAL_OWNER
    return name if ":" in name else f"local:{name}"


def _actor(store: Store, text: str) -> int | None:
    from socialfund.core.errors import PermissionDenied, ValidationError
    from socialfund.store.users import get_or_create_user

    key = user_key(text)
    if key is None:
        return None
    if key.startswith("demo:"):
        raise PermissionDenied("demo users are read-only; act as your own user (e.g. --as local)")
    if not key.split(":", 1)[1]:
        raise ValidationError(f"--as {text!r} names no user")
    return get_or_create_user(store, key, key.split(":", 1)[1])


def _record(view: PostView) -> dict[str, Any]:
    return {"id": view.id, "status": view.status, "fund": view.fund, "portfolio": view.portfolio_id,
            "parent": view.parent_id, "tag": view.tag, "author": view.author_name, "likes": view.likes,
            "cashtags": list(view.cashtags), "created_at": view.created_at.isoformat() + "Z", "text": view.text}


def _print(args: argparse.Namespace, record: dict[str, Any]) -> int:
    from socialfund.cli.common import print_record

    print_record(record, args.json)
    return 0


def _post(args: argparse.Namespace) -> int:
    from socialfund.services import discussion

    store = _store()
    view = discussion.post(store, _actor(store, args.user), args.text, fund=args.fund, portfolio=args.portfolio,
                           tag=args.tag)
    return _print(args, _record(view))


def _reply(args: argparse.Namespace) -> int:
    from socialfund.services import discussion

    store = _store()
    return _print(args, _record(discussion.reply(store, _actor(store, args.user), args.post, args.text, tag=args.tag)))


def _like(args: argparse.Namespace) -> int:
    from socialfund.services import discussion

    store = _store()
    likes = discussion.like(store, _actor(store, args.user), args.post, on=not args.undo)
    return _print(args, {"id": args.post, "likes": likes})


def _report(args: argparse.Namespace) -> int:
    from socialfund.services import discussion

    store = _store()
    discussion.report(store, _actor(store, args.user), args.post, args.reason)
    return _print(args, {"id": args.post, "reported": True})


def _hide(args: argparse.Namespace) -> int:
    from socialfund.services import discussion

    store = _store()
    change = discussion.unhide if args.undo else discussion.hide
    return _print(args, _record(change(store, _actor(store, args.user), args.post)))


def _approve(args: argparse.Namespace) -> int:
    from socialfund.services import discussion

    store = _store()
    return _print(args, _record(discussion.approve(store, _actor(store, args.user), args.post)))


def _delete(args: argparse.Namespace) -> int:
    from socialfund.services import discussion

    store = _store()
    discussion.delete(store, _actor(store, args.user), args.post)
    return _print(args, {"id": args.post, "deleted": True})


def _show(args: argparse.Namespace) -> int:
    import json

    from socialfund.services import discussion

    store = _store()
    posts = discussion.thread(store, _actor(store, args.user), fund=args.fund, portfolio=args.portfolio)
    records = [{**_record(p), "replies": [_record(r) for r in p.replies]} for p in posts]
    if args.json:
        print(json.dumps({"posts": records}, ensure_ascii=False))
        return 0
    for rec in records:
        tag = {"bull": " [看多 bull]", "bear": " [看空 bear]"}.get(rec["tag"] or "", "")
        status = "" if rec["status"] == "visible" else f" ({rec['status']})"
        print(f"#{rec['id']} {rec['author']}{tag}{status} · {rec['likes']} likes · {rec['created_at']}")
        print(f"  {rec['text']}")
        for r in rec["replies"]:
            print(f"    ↳ #{r['id']} {r['author']}: {r['text']}")
    return 0


def _reports(args: argparse.Namespace) -> int:
    import json

    from socialfund.services import discussion

    store = _store()
    rows = discussion.reports(store, _actor(store, args.user))
    records = [{"id": r.id, "post": r.post_id, "reason": r.reason, "reporter": r.reporter, "status": r.status,
                "fund": r.fund, "portfolio": r.portfolio_id, "created_at": r.created_at.isoformat() + "Z"}
               for r in rows]
    if args.json:
        print(json.dumps({"reports": records}, ensure_ascii=False))
    else:
        for rec in records:
            print(f"report {rec['id']}: post {rec['post']} ({rec['status']}) by {rec['reporter']}: {rec['reason']}")
    return 0


def _editor(args: argparse.Namespace) -> int:
    from socialfund.core.errors import ValidationError
    from socialfund.services import discussion

    store = _store()
    uid = _actor(store, args.user)
    if uid is None:
        raise ValidationError("an anonymous visitor cannot be an editor")
    (discussion.grant_editor if args.action == "add" else discussion.revoke_editor)(store, uid)
    print(f"{'granted' if args.action == 'add' else 'revoked'} editor: {user_key(args.user)}")
    return 0
