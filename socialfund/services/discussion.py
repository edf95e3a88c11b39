"""Discussion on funds and portfolios: write, reply, like, report, hide, delete — every
permission decided here, in the library, whatever page or command calls it.

Threads. A fund's thread (``fund=CODE``) is public: anyone, signed in or not, reads it.
A portfolio's thread (``portfolio=ID``) is visible exactly to those who may view the
portfolio (``services.access.is_visible``: public/unlisted to anyone with the id, private
to its owner, deleted to nobody); anyone else gets the portfolio's own ``NotFoundError``.
Someone holding a share link is anonymous here (``Actor`` None), as everywhere but the link.

Who does what (``Actor`` None = signed out):

* **Write / reply / like / report**: signed-in users who can see the thread (and the post).
  Replies are one level deep: a reply answers a top-level, visible post and joins its thread.
* **Hide / unhide**: editors (any post) and the portfolio's owner (posts on their portfolio).
* **Approve** a post held for a blocked word: editors. **Reports** list: editors.
* **Delete**: the author, their own posts only.

What a reader sees: visible posts; the author also sees their own held and hidden posts, and
editors and (on their portfolio) the owner see held and hidden ones, marked. Deleted posts
are seen by nobody.

Rules (``Rules``, from ``load_rules``): text at most ``MAX_POST_CHARS`` (500) characters after
NFC and stripping (``access.clean_text``); optional self-tag ``bull``/``bear`` (看多/看空);
cashtags ``$510300$`` must name funds of the store's universe (at most 10); a post with a
blocked word is stored ``held`` for review; per user at most ``per_minute`` posts in any
60 s and ``per_day`` in any 24 h (rolling; replies count; deleting frees no slot).

Configuration (environment, read by ``load_rules``):

| variable                         | default                        | meaning |
|----------------------------------|--------------------------------|---------|
| SOCIALFUND_BLOCKED_WORDS_FILE    | ``data/blocked_words_zh.txt``  | blocked-word list (one per line, ``#`` comments) |
| SOCIALFUND_POSTS_PER_MINUTE      | ``5``                          | rate limit per user per minute (``0``: off) |
| SOCIALFUND_POSTS_PER_DAY         | ``200``                        | rate limit per user per 24 h (``0``: off) |
| SOCIALFUND_EDITORS               | (none)                         | user keys (``local:owner``, ``oidc:…``) who are editors, comma-separated |

Editors are also granted in the store (``grant_editor``; ``user_roles``).

Sentiment pipeline. A written post is a ``posts`` row (source ``discussion``; the demo's
``demo:discussion``) with ``published_at`` = the moment it was written (UTC), so it is
scored and cached like an imported one and counts for the first session whose close comes
after it was written (``social.aggregate.assign_sessions``: written at or after a close, or
on a non-session day, it counts for the next session) — never for a session already closed.
Only visible posts of fund threads enter aggregates (``store.discussion.aggregate_clause``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select
from sqlalchemy.engine import RowMapping

from socialfund.core.codes import CodeResolver
from socialfund.core.config import DEMO_DATA_DIR
from socialfund.core.errors import ConfigError, NotFoundError, PermissionDenied, ValidationError
from socialfund.core.hashing import text_hash
from socialfund.core.timeutil import utcnow
from socialfund.services.access import Actor, clean_text, is_visible, portfolio_row, viewable_row
from socialfund.social import threads
from socialfund.store import Store, schema
from socialfund.store import discussion as db

MAX_POST_CHARS = threads.MAX_POST_CHARS
DEFAULT_BLOCKED_FILE = DEMO_DATA_DIR / "blocked_words_zh.txt"
DEFAULT_PER_MINUTE = 5
DEFAULT_PER_DAY = 200
EDITOR = "editor"


# --------------------------------------------------------------------------- rules

@dataclass(frozen=True)
class Rules:
    """Limits and lists the discussion enforces (see the module docstring). ``None`` limits are off."""

    max_chars: int = MAX_POST_CHARS
    per_minute: int | None = DEFAULT_PER_MINUTE
    per_day: int | None = DEFAULT_PER_DAY
    blocked_words: tuple[str, ...] = ()
    editor_keys: tuple[str, ...] = ()


@lru_cache(maxsize=8)
def _word_file(path: str, mtime_ns: int) -> tuple[str, ...]:
    return threads.parse_word_list(Path(path).read_text(encoding="utf-8"))


def read_word_list(path: Path) -> tuple[str, ...]:
    """The blocked words of ``path`` (re-read when the file changes); ``ConfigError`` if unreadable."""
    try:
        return _word_file(str(path), path.stat().st_mtime_ns)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"blocked-word list {path} cannot be read: {exc}") from None


def _limit(env: Mapping[str, str], name: str, default: int) -> int | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ConfigError(f"{name}={raw!r} is not a whole number of posts (0 switches the limit off)")
    return int(raw) or None


def load_rules(environ: Mapping[str, str] | None = None) -> Rules:
    """The rules as configured (see the module docstring's table)."""
    env = os.environ if environ is None else environ
    path = Path(env.get("SOCIALFUND_BLOCKED_WORDS_FILE") or DEFAULT_BLOCKED_FILE).expanduser()
    words = read_word_list(path) if path.exists() or "SOCIALFUND_BLOCKED_WORDS_FILE" in env else ()
    editors = tuple(k.strip() for k in (env.get("SOCIALFUND_EDITORS") or "").split(",") if k.strip())
    return Rules(per_minute=_limit(env, "SOCIALFUND_POSTS_PER_MINUTE", DEFAULT_PER_MINUTE),
                 per_day=_limit(env, "SOCIALFUND_POSTS_PER_DAY", DEFAULT_PER_DAY),
                 blocked_words=words, editor_keys=editors)


# --------------------------------------------------------------------------- views

@dataclass(frozen=True)
class PostView:
    """One post as ``actor`` may see it, with what ``actor`` may do to it."""

    id: int
    author_id: int
    author_name: str
    text: str
    created_at: datetime                 # naive UTC
    fund: str | None                     # the fund thread's code, or None
    portfolio_id: int | None             # the portfolio thread's id, or None
    parent_id: int | None
    tag: str | None                      # 'bull' | 'bear' | None
    status: str                          # visible | held | hidden (deleted are never shown)
    is_demo: bool
    likes: int
    reports: int                         # shown to editors only (0 for others)
    cashtags: tuple[str, ...]
    liked: bool = False
    can_reply: bool = False
    can_like: bool = False
    can_report: bool = False
    can_hide: bool = False
    can_unhide: bool = False
    can_approve: bool = False
    can_delete: bool = False
    replies: tuple[PostView, ...] = field(default_factory=tuple)
    held_reason: str | None = None       # the blocked words found (author and editors only)


@dataclass(frozen=True)
class ReportView:
    id: int
    post_id: int
    reason: str
    reporter: str
    created_at: datetime
    status: str
    fund: str | None
    portfolio_id: int | None


# --------------------------------------------------------------------------- roles

def _user_key(conn: Connection, actor: int) -> str | None:
    return conn.execute(select(schema.users.c.key).where(schema.users.c.id == actor)).scalar_one_or_none()


def _is_editor(conn: Connection, actor: Actor, rules: Rules) -> bool:
    if actor is None:
        return False
    if EDITOR in db.roles_of(conn, actor):
        return True
    return bool(rules.editor_keys) and _user_key(conn, actor) in rules.editor_keys


def _editor_from(facts: tuple[str, str, set[str]], rules: Rules) -> bool:
    return EDITOR in facts[2] or facts[1] in rules.editor_keys


def is_editor(store: Store, actor: Actor, rules: Rules | None = None) -> bool:
    """May ``actor`` moderate every thread (hide any post, see reports, approve held posts)?"""
    with store.read() as conn:
        return _is_editor(conn, actor, rules or load_rules())


def grant_editor(store: Store, user_id: int) -> None:
    """Make ``user_id`` an editor (stored in ``user_roles``). An administrative action:
    callers are the command line and tests, never a page."""
    with store.write() as conn:
        db.grant_role(conn, int(user_id), EDITOR, utcnow())


def revoke_editor(store: Store, user_id: int) -> None:
    with store.write() as conn:
        db.revoke_role(conn, int(user_id), EDITOR)


# --------------------------------------------------------------------------- helpers

def _resolver(conn: Connection) -> CodeResolver:
    return CodeResolver(db.instrument_codes(conn))


def _fund_code(conn: Connection, fund: str, resolver: CodeResolver | None = None) -> str:
    match = (resolver or _resolver(conn)).match(str(fund))
    if not match.ok or match.code is None:
        raise ValidationError(f"fund: {match.reason}")
    return match.code


def _thread_access(conn: Connection, actor: Actor, fund: str | None, portfolio: int | None,
                   resolver: CodeResolver | None = None) -> tuple[str | None, RowMapping | None]:
    """(fund code, portfolio row) of the thread named, after the view check."""
    if (fund is None) == (portfolio is None):
        raise ValidationError("name exactly one thread: a fund (--fund CODE) or a portfolio (--portfolio ID)")
    if fund is not None:
        return _fund_code(conn, fund, resolver), None
    return None, viewable_row(conn, actor, int(portfolio))  # type: ignore[arg-type]


def _post_not_found(post_id: object) -> NotFoundError:
    return NotFoundError(f"post {post_id} not found")


def _sees(row: RowMapping, actor: Actor, editor: bool, owner_id: int | None) -> bool:
    """May ``actor`` see this post (thread visibility checked separately)?"""
    status = row["status"]
    if status == "visible":
        return True
    if status == "deleted":
        return False
    if actor is not None and row["author_id"] == actor:
        return True
    return editor or (status == "hidden" and actor is not None and owner_id == actor)


def _load(conn: Connection, actor: Actor, post_id: int, rules: Rules) -> tuple[RowMapping, bool, int | None]:
    """(row, actor is editor, portfolio owner id) of a post ``actor`` may see, else NotFound."""
    try:
        pid = int(post_id)
    except (TypeError, ValueError):
        raise _post_not_found(post_id) from None
    row = db.post_row(conn, pid)
    if row is None:
        raise _post_not_found(post_id)
    owner = None
    if row["portfolio_id"] is not None:
        prow = portfolio_row(conn, int(row["portfolio_id"]))
        if not is_visible(prow, actor):
            raise _post_not_found(post_id)
        owner = int(prow["owner_id"])
    editor = _is_editor(conn, actor, rules)
    if not _sees(row, actor, editor, owner):
        raise _post_not_found(post_id)
    return row, editor, owner


def _view(row: RowMapping | dict[str, Any], actor: Actor, editor: bool, owner: int | None, tags: Sequence[str],
          liked: bool, replies: tuple[PostView, ...] = ()) -> PostView:
    signed = actor is not None
    visible = row["status"] == "visible"
    mod = editor or (signed and owner == actor)
    return PostView(
        id=int(row["post_id"]), author_id=int(row["author_id"]), author_name=str(row["author_name"]),
        text=str(row["text"]), created_at=row["created_at"], fund=row["fund_code"],
        portfolio_id=row["portfolio_id"], parent_id=row["parent_id"], tag=row["self_tag"],
        status=str(row["status"]), is_demo=bool(row["is_demo"]), likes=int(row["likes"]),
        reports=int(row["reports"]) if editor else 0, cashtags=tuple(tags), liked=liked,
        can_reply=signed and visible and row["parent_id"] is None,
        can_like=signed and visible, can_report=signed and visible and row["author_id"] != actor,
        can_hide=mod and row["status"] in ("visible", "held"),
        can_unhide=mod and row["status"] == "hidden",
        can_approve=editor and row["status"] == "held",
        can_delete=signed and row["author_id"] == actor, replies=replies,
        held_reason=row.get("held_reason") if (editor or (signed and row["author_id"] == actor)) else None)


# --------------------------------------------------------------------------- writing

def post(store: Store, actor: Actor, text: str, *, fund: str | None = None, portfolio: int | None = None,
         tag: str | None = None, parent: int | None = None, rules: Rules | None = None,
         now: datetime | None = None) -> PostView:
    """Write a post on a fund's or a portfolio's thread (or, with ``parent``, a reply in the
    parent's thread: then name no thread). ``now`` (naive UTC) is the clock, for tests.

    ``PermissionDenied`` when signed out; ``NotFoundError`` for a thread or parent the actor
    cannot see; ``ValidationError`` for empty/long text, a bad tag, an unknown fund or
    cashtag, a reply to a reply or to a post that is not visible, or a rate limit. A post
    with a blocked word is stored with status ``held``. Nothing is stored on any error."""
    rules = rules or load_rules()
    if actor is None:
        raise PermissionDenied("sign in to write a post")
    body = clean_text(text, "post", rules.max_chars, required=True)
    try:
        self_tag = threads.check_tag(tag)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    when = now or utcnow()
    typed_tags = threads.cashtags(body)
    if len(typed_tags) > threads.MAX_CASHTAGS:
        raise ValidationError(f"post has {len(typed_tags)} cashtags; at most {threads.MAX_CASHTAGS}")
    blocked = threads.blocked_words_in(body, rules.blocked_words)
    with store.write() as conn:
        resolver = _resolver(conn)
        owner: int | None = None
        if parent is not None:
            if fund is not None or portfolio is not None:
                raise ValidationError("a reply joins its parent's thread: give the parent post only")
            prow, _, owner = _load(conn, actor, parent, rules)
            if prow["parent_id"] is not None:
                raise ValidationError(f"post {parent} is a reply; replies are one level deep (reply to post "
                                      f"{prow['parent_id']})")
            if prow["status"] != "visible":
                raise ValidationError(f"post {parent} is {prow['status']}: it takes no replies")
            code, pid = prow["fund_code"], prow["portfolio_id"]
        else:
            code, thread_row = _thread_access(conn, actor, fund, portfolio, resolver)
            pid = int(thread_row["id"]) if thread_row is not None else None
            owner = int(thread_row["owner_id"]) if thread_row is not None else None
        linked: list[str] = []
        for typed in typed_tags:
            match = resolver.match(typed)
            if not match.ok or match.code is None:
                raise ValidationError(f"cashtag ${typed}$: {match.reason}")
            if match.code not in linked:
                linked.append(match.code)
        problem = threads.limit_problem(*db.recent_counts(conn, actor, when, threads.MINUTE, threads.DAY),
                                        rules.per_minute, rules.per_day)
        if problem:
            raise ValidationError(problem)
        facts = db.user_facts(conn, actor)
        author = facts[0]
        post_code = code if code is not None else f"{db.PORTFOLIO_CODE_PREFIX}{pid}"
        status = "held" if blocked else "visible"
        new_id = db.insert_written(
            conn, author_id=actor, author_label=author, code=post_code, text=body, published_at=when,
            fund_code=code, portfolio_id=pid, parent_id=int(parent) if parent is not None else None,
            self_tag=self_tag, status=status, held_reason=", ".join(blocked)[:128] if blocked else None,
            cashtags=linked)
        editor = _editor_from(facts, rules)
    row = {"post_id": new_id, "author_id": actor, "author_name": author, "text": body, "created_at": when,
           "fund_code": code, "portfolio_id": pid, "parent_id": int(parent) if parent is not None else None,
           "self_tag": self_tag, "status": status, "is_demo": False, "likes": 0, "reports": 0,
           "held_reason": ", ".join(blocked)[:128] if blocked else None}
    return _view(row, actor, editor, owner, linked, False)


def reply(store: Store, actor: Actor, parent_id: int, text: str, *, tag: str | None = None,
          rules: Rules | None = None, now: datetime | None = None) -> PostView:
    """A reply to ``parent_id`` (``post`` with ``parent``)."""
    return post(store, actor, text, parent=parent_id, tag=tag, rules=rules, now=now)


def like(store: Store, actor: Actor, post_id: int, on: bool = True, *, rules: Rules | None = None,
         now: datetime | None = None) -> int:
    """Like (``on``) or unlike a visible post; returns its like count. Liking twice is one like."""
    rules = rules or load_rules()
    if actor is None:
        raise PermissionDenied("sign in to like a post")
    with store.write() as conn:
        row, _, _ = _load(conn, actor, post_id, rules)
        if row["status"] != "visible":
            raise ValidationError(f"post {post_id} is {row['status']}: it cannot be liked")
        db.set_like(conn, int(row["post_id"]), actor, on, now or utcnow())
        again = db.post_row(conn, int(row["post_id"]))
        assert again is not None
        return int(again["likes"])


def report(store: Store, actor: Actor, post_id: int, reason: str = "", *, rules: Rules | None = None,
           now: datetime | None = None) -> None:
    """Report a post to the editors (once per user and post; again is a no-op)."""
    rules = rules or load_rules()
    if actor is None:
        raise PermissionDenied("sign in to report a post")
    why = clean_text(reason, "report reason", threads.MAX_REASON_CHARS, required=False)
    with store.write() as conn:
        row, _, _ = _load(conn, actor, post_id, rules)
        if row["author_id"] == actor:
            raise ValidationError("you cannot report your own post (delete it instead)")
        db.add_report(conn, int(row["post_id"]), actor, why, now or utcnow())


def _moderate(store: Store, actor: Actor, post_id: int, rules: Rules | None, now: datetime | None,
              *, allowed_from: tuple[str, ...], to: str, action: str, editors_only: bool) -> PostView:
    rules = rules or load_rules()
    if actor is None:
        raise PermissionDenied(f"sign in to {action} a post")
    with store.write() as conn:
        row, editor, owner = _load(conn, actor, post_id, rules)
        if not (editor or (not editors_only and owner == actor)):
            who = "editors" if editors_only else "editors and the portfolio's owner"
            raise PermissionDenied(f"only {who} can {action} post {post_id}")
        if row["status"] not in allowed_from:
            raise ValidationError(f"post {post_id} is {row['status']}: cannot {action} it")
        db.set_status(conn, int(row["post_id"]), to, actor_id=actor, action=action, now=now or utcnow())
        new, editor, owner = _load(conn, actor, int(row["post_id"]), rules)
        return _view(new, actor, editor, owner, db.cashtags_of(conn, [new["post_id"]]).get(new["post_id"], []), False)


def hide(store: Store, actor: Actor, post_id: int, *, rules: Rules | None = None,
         now: datetime | None = None) -> PostView:
    """Hide a post (editors: any; a portfolio's owner: posts on their portfolio). It leaves
    every aggregate and every reader but its author, editors and the portfolio's owner."""
    return _moderate(store, actor, post_id, rules, now, allowed_from=("visible", "held"), to="hidden",
                     action="hide", editors_only=False)


def unhide(store: Store, actor: Actor, post_id: int, *, rules: Rules | None = None,
           now: datetime | None = None) -> PostView:
    """Show a hidden post again (who may hide it)."""
    return _moderate(store, actor, post_id, rules, now, allowed_from=("hidden",), to="visible",
                     action="unhide", editors_only=False)


def approve(store: Store, actor: Actor, post_id: int, *, rules: Rules | None = None,
            now: datetime | None = None) -> PostView:
    """Publish a post held for a blocked word (editors only)."""
    return _moderate(store, actor, post_id, rules, now, allowed_from=("held",), to="visible",
                     action="approve", editors_only=True)


def delete(store: Store, actor: Actor, post_id: int, *, rules: Rules | None = None,
           now: datetime | None = None) -> None:
    """Delete one's own post (its author only): nobody sees it again, no aggregate counts it."""
    rules = rules or load_rules()
    if actor is None:
        raise PermissionDenied("sign in to delete a post")
    with store.write() as conn:
        row, _, _ = _load(conn, actor, post_id, rules)
        if row["author_id"] != actor:
            raise PermissionDenied(f"only its author can delete post {post_id}")
        db.set_status(conn, int(row["post_id"]), "deleted", actor_id=actor, action="delete", now=now or utcnow())


# --------------------------------------------------------------------------- reading

def get_post(store: Store, actor: Actor, post_id: int, *, rules: Rules | None = None) -> PostView:
    """One post (without replies) as ``actor`` may see it, else ``NotFoundError``."""
    rules = rules or load_rules()
    with store.read() as conn:
        row, editor, owner = _load(conn, actor, post_id, rules)
        liked = actor is not None and bool(db.liked_by(conn, actor, [int(row["post_id"])]))
        return _view(row, actor, editor, owner, db.cashtags_of(conn, [int(row["post_id"])]).get(int(row["post_id"]), []),
                     liked)


def thread(store: Store, actor: Actor, *, fund: str | None = None, portfolio: int | None = None,
           rules: Rules | None = None, limit: int = 200) -> list[PostView]:
    """The thread's top-level posts ``actor`` may see, newest first (at most ``limit``), each
    with its visible replies oldest first. A portfolio thread the actor may not view raises
    the portfolio's ``NotFoundError``."""
    rules = rules or load_rules()
    with store.read() as conn:
        code, prow = _thread_access(conn, actor, fund, portfolio)
        owner = int(prow["owner_id"]) if prow is not None else None
        editor = _is_editor(conn, actor, rules)
        rows = db.thread_rows(conn, fund_code=code, portfolio_id=int(prow["id"]) if prow is not None else None,
                              statuses=("visible", "held", "hidden"))
        rows = [r for r in rows if _sees(r, actor, editor, owner)]
        ids = [int(r["post_id"]) for r in rows]
        tags = db.cashtags_of(conn, ids)
        liked = db.liked_by(conn, actor, ids) if actor is not None else set()
    replies: dict[int, list[PostView]] = {}
    for r in rows:
        if r["parent_id"] is not None:
            replies.setdefault(int(r["parent_id"]), []).append(
                _view(r, actor, editor, owner, tags.get(int(r["post_id"]), []), int(r["post_id"]) in liked))
    tops = [_view(r, actor, editor, owner, tags.get(int(r["post_id"]), []), int(r["post_id"]) in liked,
                  tuple(replies.get(int(r["post_id"]), ())))
            for r in rows if r["parent_id"] is None]
    return list(reversed(tops))[:limit]


def reports(store: Store, actor: Actor, *, rules: Rules | None = None) -> list[ReportView]:
    """Every report, newest first (editors only)."""
    rules = rules or load_rules()
    with store.read() as conn:
        if not _is_editor(conn, actor, rules):
            raise PermissionDenied("only editors can see reports")
        return [ReportView(id=int(r["id"]), post_id=int(r["post_id"]), reason=str(r["reason"]),
                           reporter=str(r["reporter"]), created_at=r["created_at"], status=str(r["status"]),
                           fund=r["fund_code"], portfolio_id=r["portfolio_id"]) for r in db.report_rows(conn)]


def held(store: Store, actor: Actor, *, rules: Rules | None = None) -> list[PostView]:
    """Posts held for review, oldest first (editors only)."""
    rules = rules or load_rules()
    d = schema.discussion_posts
    with store.read() as conn:
        if not _is_editor(conn, actor, rules):
            raise PermissionDenied("only editors can review held posts")
        rows = conn.execute(db._post_query().where(d.c.status == "held").order_by(d.c.created_at)).mappings().all()
        tags = db.cashtags_of(conn, [int(r["post_id"]) for r in rows])
    return [_view(r, actor, True, None, tags.get(int(r["post_id"]), []), False) for r in rows]


# --------------------------------------------------------------------------- for the meter and alerts

TAGGED_COLUMNS = ["post_id", "code", "published_at", "self_tag", "text_hash", "author_id", "parent_id", "source"]


def tagged_posts(store: Store, codes: Sequence[str] | None = None, since: datetime | None = None) -> pd.DataFrame:
    """Visible written posts of fund threads (the public surface; never a portfolio's), with
    their self-tag (None when untagged) and ``text_hash`` (the score cache key), oldest first.
    ``published_at`` naive UTC. Columns ``TAGGED_COLUMNS``."""
    d, p = schema.discussion_posts, schema.posts
    q = (select(d.c.post_id, p.c.code, p.c.published_at, d.c.self_tag, p.c.text, d.c.author_id, d.c.parent_id,
                p.c.source)
         .join(p, p.c.id == d.c.post_id).where(db.aggregate_clause(p)).order_by(p.c.published_at, p.c.id))
    if codes is not None:
        q = q.where(p.c.code.in_(list(codes)))
    if since is not None:
        q = q.where(p.c.published_at >= since)
    with store.read() as conn:
        rows = conn.execute(q).all()
    df = pd.DataFrame([{"post_id": int(r[0]), "code": r[1], "published_at": r[2], "self_tag": r[3],
                        "text_hash": text_hash(r[4]), "author_id": int(r[5]), "parent_id": r[6], "source": r[7]}
                       for r in rows], columns=TAGGED_COLUMNS)
    df["published_at"] = pd.to_datetime(df["published_at"])
    return df


REPLY_COLUMNS = ["reply_id", "parent_id", "replier_id", "replier_name", "fund", "portfolio_id", "created_at"]


def replies_to(store: Store, author_id: int, after_id: int = 0) -> pd.DataFrame:
    """Visible replies by others to ``author_id``'s posts, with reply id > ``after_id``,
    oldest first — only those on threads ``author_id`` may still view. Columns ``REPLY_COLUMNS``."""
    d = schema.discussion_posts
    parent = d.alias("parent")
    u = schema.users
    q = (select(d.c.post_id, d.c.parent_id, d.c.author_id, u.c.display_name, d.c.fund_code, d.c.portfolio_id,
                d.c.created_at)
         .join(parent, parent.c.post_id == d.c.parent_id).join(u, u.c.id == d.c.author_id)
         .where(parent.c.author_id == int(author_id), d.c.author_id != int(author_id), d.c.status == "visible",
                d.c.post_id > int(after_id))
         .order_by(d.c.post_id))
    out: list[dict[str, Any]] = []
    with store.read() as conn:
        for r in conn.execute(q).all():
            if r[5] is not None and not is_visible(portfolio_row(conn, int(r[5])), int(author_id)):
                continue
            out.append(dict(zip(REPLY_COLUMNS, (int(r[0]), int(r[1]), int(r[2]), str(r[3]), r[4], r[5], r[6]))))
    return pd.DataFrame(out, columns=REPLY_COLUMNS)


def with_rules(rules: Rules, **changes: Any) -> Rules:
    """``rules`` with some fields changed (tests, benchmarks)."""
    return replace(rules, **changes)
