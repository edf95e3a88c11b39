"""``python -m socialfund discuss``: post / reply / like / report / hide / delete / show /
reports / editor, with the usual exit codes (0 done, 2 rejected with one line on stderr and
nothing stored); ``local`` names the local-mode owner, ``anonymous`` a signed-out visitor."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import insert

from socialfund.cli import main
from socialfund.store import open_store, schema


@pytest.fixture()
def store(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", url)
    monkeypatch.setenv("SOCIALFUND_DEMO", "0")
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


def test_post_reply_like_show_as_local_owner(store, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "discuss", "post", "--fund", "510300", "--text", "看好 $159915$", "--tag", "bull",
                         "--as", "local", "--json")
    assert code == 0, err
    post = json.loads(out)
    assert (post["fund"], post["tag"], post["author"], post["cashtags"]) == ("510300.SS", "bull", "owner", ["159915.SZ"])
    code, out, _ = run(capsys, "discuss", "reply", str(post["id"]), "--text", "同意", "--as", "bob", "--json")
    assert code == 0 and json.loads(out)["parent"] == post["id"]
    code, out, _ = run(capsys, "discuss", "like", str(post["id"]), "--as", "bob", "--json")
    assert code == 0 and json.loads(out)["likes"] == 1
    code, out, _ = run(capsys, "discuss", "show", "--fund", "510300.SS", "--json")
    [shown] = json.loads(out)["posts"]
    assert shown["id"] == post["id"] and [r["text"] for r in shown["replies"]] == ["同意"]
    code, out, _ = run(capsys, "discuss", "show", "--fund", "510300.SS")
    assert code == 0 and "看多" in out and "↳" in out


@pytest.mark.parametrize("argv, message", [
    (["post", "--fund", "999999", "--text", "x", "--as", "local"], "unknown code"),
    (["post", "--fund", "510300", "--text", "   ", "--as", "local"], "post is empty"),
    (["post", "--fund", "510300", "--text", "x" * 501, "--as", "local"], "longer than 500"),
    (["post", "--fund", "510300", "--text", "看 $000000$", "--as", "local"], "cashtag"),
    (["post", "--fund", "510300", "--text", "x", "--as", "anonymous"], "sign in"),
    (["post", "--fund", "510300", "--text", "x", "--as", "demo:3"], "read-only"),
    (["reply", "12345", "--text", "x", "--as", "local"], "post 12345 not found"),
    (["reports", "--as", "local"], "only editors"),
])
def test_rejected_input_exits_2_with_one_line_and_stores_nothing(store, capsys, argv, message) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "discuss", *argv)
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1
    with store.read() as conn:
        assert conn.execute(schema.posts.select()).first() is None


def test_bad_tag_is_a_usage_error(store, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        main(["discuss", "post", "--fund", "510300", "--text", "x", "--tag", "up", "--as", "local"])
    assert exc.value.code == 2


def test_moderation_through_the_command_line(store, capsys) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = run(capsys, "discuss", "post", "--fund", "510300", "--text", "稳赚不赔 加微信", "--as", "alice", "--json")
    held = json.loads(out)
    assert held["status"] == "held"
    _, out, _ = run(capsys, "discuss", "post", "--fund", "510300", "--text", "正常帖", "--as", "alice", "--json")
    ok = json.loads(out)
    assert run(capsys, "discuss", "report", str(ok["id"]), "--as", "bob", "--reason", "spam")[0] == 0
    assert run(capsys, "discuss", "hide", str(ok["id"]), "--as", "bob")[0] == 2          # bob is no editor
    assert run(capsys, "discuss", "editor", "add", "carol")[0] == 0
    code, out, _ = run(capsys, "discuss", "reports", "--as", "carol", "--json")
    assert code == 0 and [r["post"] for r in json.loads(out)["reports"]] == [ok["id"]]
    assert json.loads(run(capsys, "discuss", "approve", str(held["id"]), "--as", "carol", "--json")[1])["status"] == "visible"
    assert json.loads(run(capsys, "discuss", "hide", str(ok["id"]), "--as", "carol", "--json")[1])["status"] == "hidden"
    assert run(capsys, "discuss", "delete", str(held["id"]), "--as", "carol")[0] == 2     # only its author
    assert run(capsys, "discuss", "delete", str(held["id"]), "--as", "alice")[0] == 0
    _, out, _ = run(capsys, "discuss", "show", "--fund", "510300", "--json")
    assert json.loads(out)["posts"] == []
