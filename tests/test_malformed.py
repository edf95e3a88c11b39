"""The malformed-input corpus (the README's "Reliability and security": Malformed inputs), through every way a file gets in:

* the commands ``python -m socialfund posts import`` and ``portfolio import`` — run
  in-process through ``socialfund.cli.main`` (the exact argv handling, handler and error
  printing of the command line; spawning 50+ interpreters would take minutes), plus one real
  subprocess per command to check exit code 2 and a one-line stderr without a traceback;
* the upload widgets — by calling what the pages' upload handlers call with the uploaded
  bytes and name: ``posts.import_posts(store, data, name, source=...)``
  (pages/3_Sentiment.py) and ``holdings.read_holdings_csv(data, name, known)``
  (pages/5_My_Portfolios.py). (AppTest cannot drive ``st.file_uploader``.) Streamlit's own
  cap, ``server.maxUploadSize``, is checked in tests/test_config_gate.py;
* price files: ``io.prices_file.read_prices_csv`` (the csv market provider).

Every rejection must be ONE line naming the file (and line / column where they apply), and
the store must be unchanged: a SHA-256 over every row of every table, before and after.
Accepted-with-care cases (GBK, BOM, extra columns, naive times, HTML, formulas, empty
posts, a 1 MB post, path-like names, the same file twice) are checked for what is stored.

The corpus lives in tests/fixtures/malformed/ (written by tests/fixtures/make_malformed.py;
the big cases are generated into tmp_path at test time).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from socialfund import cli

from socialfund.io import posts_file
from socialfund.services import posts

from socialfund.services import portfolio_crud
from socialfund.core.errors import ValidationError
from socialfund.io.exports import to_safe_csv
from socialfund.io.holdings import holdings_csv_bytes, read_holdings_csv
from socialfund.io.prices_file import read_prices_csv
from socialfund.store import Store, open_store, schema
from socialfund.store.demo import load_demo

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = FIXTURES / "malformed"
sys.path.insert(0, str(FIXTURES))
import make_malformed  # noqa: E402

DATA = REPO / "data"


# --------------------------------------------------------------------------- the cases

@dataclass(frozen=True)
class Reject:
    fixture: str            # a file in the corpus, or 'large:<key>' for a generated one
    path: str               # 'posts' | 'hold' | 'prices'
    fragment: str           # must appear in the message (case-insensitive)
    line: int | None = None
    column: str | None = None

    @property
    def id(self) -> str:
        return f"{self.path}-{self.fixture.replace('large:', '').rsplit('.', 1)[0]}"


REJECTS = [
    # encodings
    Reject("posts_utf16.csv", "posts", "unsupported encoding"),
    Reject("hold_utf16.csv", "hold", "unsupported encoding"),
    Reject("posts_big5.csv", "posts", "unsupported encoding"),
    Reject("hold_big5.csv", "hold", "unsupported encoding"),
    Reject("random_bytes.csv", "posts", "unsupported encoding"),
    Reject("random_bytes.csv", "hold", "unsupported encoding"),
    # shape
    Reject("empty.csv", "posts", "empty"),
    Reject("empty.csv", "hold", "empty"),
    Reject("posts_header_only.csv", "posts", "header but no posts"),
    Reject("hold_header_only.csv", "hold", "header but no holdings"),
    Reject("posts_missing_column.csv", "posts", "missing column text", line=1),
    Reject("hold_missing_column.csv", "hold", "missing column 'weight'", line=1, column="weight"),
    Reject("posts_ragged.csv", "posts", "expected 3 fields", line=3),
    Reject("hold_ragged.csv", "hold", "expected 3 fields", line=3),
    # codes
    Reject("hold_duplicate_code.csv", "hold", "duplicate code 510300.SS", line=3, column="code"),
    Reject("posts_code_as_number.csv", "posts", "6 digits", line=2, column="code"),
    Reject("hold_code_as_number.csv", "hold", "unknown code", line=2, column="code"),
    Reject("posts_unknown_code.csv", "posts", "unknown code '999999.SS'", line=2, column="code"),
    Reject("hold_unknown_code.csv", "hold", "unknown code", line=3, column="code"),
    # weights (one parser, percent; never rescaled silently)
    Reject("hold_sum_70.csv", "hold", "add up to 70%"),
    Reject("hold_sum_130.csv", "hold", "add up to 130%"),
    Reject("hold_fractions.csv", "hold", "add up to 1%"),
    Reject("hold_comma_decimal.csv", "hold", "comma", line=2, column="weight"),
    Reject("hold_negative.csv", "hold", "negative", line=2, column="weight"),
    Reject("hold_blank_weight.csv", "hold", "missing", line=2, column="weight"),
    Reject("hold_na_weight.csv", "hold", "missing", line=2, column="weight"),
    Reject("hold_nan_weight.csv", "hold", "missing", line=2, column="weight"),
    # prices
    Reject("prices_zero.csv", "prices", "positive finite", line=3, column="close"),
    Reject("prices_negative.csv", "prices", "positive finite", line=2, column="close"),
    Reject("prices_nan.csv", "prices", "positive finite", line=3, column="close"),
    Reject("prices_inf.csv", "prices", "positive finite", line=2, column="close"),
    Reject("prices_non_iso_date.csv", "prices", "not an ISO date", line=2, column="date"),
    # dates
    Reject("posts_future_date.csv", "posts", "in the future", line=2, column="published_at"),
    Reject("posts_impossible_date.csv", "posts", "impossible", line=2, column="published_at"),
    Reject("posts_non_iso_date.csv", "posts", "not ISO 8601", line=2, column="published_at"),
    # JSON
    Reject("posts_json_object.json", "posts", "a JSON object, not a list"),
    Reject("hold_json_object.csv", "hold", "missing column 'code'", line=1),
    Reject("posts_deep_json.json", "posts", "nested too deeply"),
    Reject("posts_nested_value.jsonl", "posts", "nested JSON", line=1, column="text"),
    # not text / too big / compressed
    Reject("image_renamed.csv", "posts", "PNG image"),
    Reject("image_renamed.csv", "hold", "PNG image"),
    Reject("large:over_cap", "posts", "the limit is 20 MB"),
    Reject("large:over_cap", "hold", "larger than"),
    Reject("large:bomb", "posts", "gzip-compressed"),
    Reject("large:bomb", "hold", "gzip-compressed"),
]


# --------------------------------------------------------------------------- fixtures

def dump_hash(store: Store) -> str:
    """SHA-256 over every row of every table (rows sorted): equal hashes = unchanged store."""
    h = hashlib.sha256()
    with store.read() as conn:
        for table in schema.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            h.update(table.name.encode())
            for row in sorted(repr(tuple(r)) for r in rows):
                h.update(row.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small store: the real universe, no demo rows, one imported post file and one
    user portfolio (so 'unchanged' is checked against a store with content)."""
    root = tmp_path_factory.mktemp("malformed-template")
    mini = root / "data"
    mini.mkdir()
    for f in DATA.glob("*.csv"):
        if f.name == "universe.csv":
            shutil.copy(f, mini / f.name)
        else:  # header only: load_demo then only loads the universe (and marks demo loaded)
            (mini / f.name).write_text(f.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    db = root / "template.db"
    store = open_store(f"sqlite:///{db}")
    load_demo(store, mini)
    posts.import_posts(store, (CORPUS / "posts_valid.jsonl").read_bytes(), "posts_valid.jsonl", source="baseline")
    from socialfund.store.users import get_or_create_user

    owner = get_or_create_user(store, "local:owner", "owner")
    portfolio_crud.create_portfolio(store, owner, "基线组合", {"510300.SS": "60", "CASH": "40"})
    store.dispose()
    return db


@pytest.fixture()
def store(template_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    db = tmp_path / "store.db"
    shutil.copy(template_db, db)
    url = f"sqlite:///{db}"
    monkeypatch.setenv("SOCIALFUND_DATABASE_URL", url)
    st = open_store(url)
    yield st
    st.dispose()


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_malformed.write_large(tmp_path_factory.mktemp("malformed-large"), posts_file.MAX_IMPORT_BYTES)


def fixture_path(case: Reject, large: dict[str, Path]) -> Path:
    return large[case.fixture[6:]] if case.fixture.startswith("large:") else CORPUS / case.fixture


def check_message(message: str, case: Reject, label: str) -> None:
    assert "\n" not in message.strip(), f"not one line: {message!r}"
    assert label in message, f"message does not name the file {label}: {message}"
    assert case.fragment.lower() in message.lower(), message
    if case.line is not None:
        assert f"line {case.line}" in message, message
    if case.column is not None:
        assert f"column {case.column}" in message, message


# --------------------------------------------------------------------------- tests

def test_committed_corpus_matches_its_generator() -> None:
    expected = make_malformed.small_cases()
    committed = {p.name: p.read_bytes() for p in CORPUS.iterdir() if p.is_file()}
    assert committed == expected
    used = {c.fixture for c in REJECTS if not c.fixture.startswith("large:")}
    assert used <= set(committed)


#: The 20 MB cap is the web page's upload limit: the command line streams a posts file of any size
#: in bounded memory (tests/test_stream_import.py), so it is refused only through the upload handler.
UPLOAD_ONLY = {"posts-over_cap"}
COMMAND_REJECTS = [c for c in REJECTS if c.id not in UPLOAD_ONLY]


@pytest.mark.parametrize("case", COMMAND_REJECTS, ids=[c.id for c in COMMAND_REJECTS])
def test_rejected_through_the_command(case: Reject, store: Store, large: dict[str, Path],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = fixture_path(case, large)
    before = dump_hash(store)
    if case.path == "posts":
        rc = cli.main(["posts", "import", str(path)])
    elif case.path == "hold":
        rc = cli.main(["portfolio", "import", str(path), "--name", "坏文件"])
    else:
        with pytest.raises(ValidationError) as err:
            read_prices_csv(path)
        check_message(str(err.value), case, path.name)
        assert dump_hash(store) == before
        return
    out, err_text = capsys.readouterr()
    assert rc == 2, (out, err_text)
    assert err_text.startswith("error: ") and err_text.count("\n") == 1, err_text
    check_message(err_text, case, path.name)
    assert dump_hash(store) == before


@pytest.mark.parametrize("case", [c for c in REJECTS if c.path != "prices"],
                         ids=[c.id for c in REJECTS if c.path != "prices"])
def test_rejected_through_the_upload_handler(case: Reject, store: Store, large: dict[str, Path]) -> None:
    """What the page does with ``upload.getvalue()`` and ``upload.name``."""
    path = fixture_path(case, large)
    data, name = path.read_bytes(), path.name
    before = dump_hash(store)
    with pytest.raises(ValidationError) as err:
        if case.path == "posts":
            posts.import_posts(store, data, name, source="my-posts")
        else:
            parsed = read_holdings_csv(data, name, portfolio_crud.known_codes(store))
            raise AssertionError(f"accepted: {parsed}")  # the page would offer these weights
    check_message(str(err.value), case, name)
    assert dump_hash(store) == before


def test_rejections_in_a_real_process_exit_2_with_one_line(store: Store) -> None:
    for argv in (["posts", "import", str(CORPUS / "posts_ragged.csv")],
                 ["portfolio", "import", str(CORPUS / "hold_sum_70.csv"), "--name", "x"]):
        res = subprocess.run([sys.executable, "-m", "socialfund", *argv], cwd=REPO, capture_output=True, text=True,
                             timeout=120)
        assert res.returncode == 2, res.stderr
        assert res.stderr.count("\n") == 1 and res.stderr.startswith("error: ") and "Traceback" not in res.stderr


# --------------------------------------------------------------------------- accepted with care

def _post_texts(store: Store, source: str | None = None) -> list[str]:
    p = schema.posts
    q = select(p.c.text)
    if source:
        q = q.where(p.c.source == source)
    with store.read() as conn:
        return [r[0] for r in conn.execute(q.order_by(p.c.id))]


def test_gbk_files_decode_intact(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["posts", "import", str(CORPUS / "posts_gbk.csv")]) == 0
    assert _post_texts(store, "import:posts_gbk.csv") == ["贵州茅台今天大涨，看好白酒"]
    parsed = read_holdings_csv((CORPUS / "hold_gbk.csv").read_bytes(), "hold_gbk.csv", portfolio_crud.known_codes(store))
    assert parsed.names == {"510300.SS": "沪深300ETF", "CASH": "贵州茅台备用金"}
    assert parsed.weights_bp == {"510300.SS": 6000, "CASH": 4000}
    assert cli.main(["portfolio", "import", str(CORPUS / "hold_gbk.csv"), "--name", "GBK组合"]) == 0


def test_utf8_bom_header_is_clean(store: Store) -> None:
    result = posts.import_posts(store, (CORPUS / "posts_bom.csv").read_bytes(), "posts_bom.csv")
    assert result.imported == 1 and _post_texts(store, result.source) == ["带BOM的文件"]
    parsed = read_holdings_csv((CORPUS / "hold_bom.csv").read_bytes(), "hold_bom.csv", portfolio_crud.known_codes(store))
    assert parsed.weights_bp == {"510300.SS": 10_000}


def test_extra_columns_are_ignored_with_a_warning(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["posts", "import", str(CORPUS / "posts_extra_columns.csv")]) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "mood" in err and "翻译" in err
    parsed = read_holdings_csv((CORPUS / "hold_extra_columns.csv").read_bytes(), "hold_extra_columns.csv",
                               portfolio_crud.known_codes(store))
    assert parsed.weights_bp == {"510300.SS": 10_000} and any("mood" in w for w in parsed.warnings)


def test_codes_are_strings_and_percent_formats_have_one_parser(store: Store) -> None:
    known = portfolio_crud.known_codes(store)
    zeros = read_holdings_csv((CORPUS / "hold_code_leading_zeros.csv").read_bytes(), "z.csv", known)
    assert zeros.weights_bp == {"000001": 10_000}
    pct = read_holdings_csv((CORPUS / "hold_percent_sign_fullwidth.csv").read_bytes(), "p.csv", known)
    assert pct.weights_bp == {"510300.SS": 3500, "000001": 6500}


def test_naive_and_offset_timestamps_are_normalised_with_the_assumption_shown(store: Store) -> None:
    result = posts.import_posts(store, (CORPUS / "posts_naive_and_offset.csv").read_bytes(), "t.csv")
    assert result.imported == 2
    assert any("Asia/Shanghai" in w for w in result.warnings)
    p = schema.posts
    with store.read() as conn:
        times = {r[0] for r in conn.execute(select(p.c.published_at).where(p.c.source == result.source))}
    assert len(times) == 1 and next(iter(times)).isoformat() == "2024-03-04T02:30:00"  # both 10:30 Shanghai


def test_html_in_posts_is_stored_as_text(store: Store) -> None:
    result = posts.import_posts(store, (CORPUS / "posts_html.csv").read_bytes(), "h.csv")
    assert _post_texts(store, result.source) == ['<script>alert("x")</script>看涨', '<img src=x onerror="alert(1)">']


def test_empty_whitespace_and_emoji_only_posts_get_no_score_but_a_reason(store: Store) -> None:
    from socialfund.sentiment import get_scorer

    result = posts.import_posts(store, (CORPUS / "posts_empty_texts.csv").read_bytes(), "e.csv")
    texts = _post_texts(store, result.source)
    assert texts == ["", "   ", "🫠🫠"]
    scores = get_scorer("finance").score_many(texts)
    assert all(s.score is None and s.label is None and s.reason for s in scores), scores


def test_a_1mb_post_is_capped_with_a_warning(store: Store, large: dict[str, Path]) -> None:
    result = posts.import_posts(store, large["big_post"].read_bytes(), "big.csv")
    (text,) = _post_texts(store, result.source)
    assert len(text) == posts_file.MAX_POST_CHARS and any("cut" in w for w in result.warnings)


def test_formulas_are_stored_verbatim_and_exported_with_a_quote(store: Store) -> None:
    result = posts.import_posts(store, (CORPUS / "posts_formulas.csv").read_bytes(), "f.csv")
    stored = _post_texts(store, result.source)
    assert stored == ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1)"]
    exported = to_safe_csv(posts.load_posts(store, sources=[result.source])[["text"]]).decode("utf-8-sig")
    for text in stored:
        assert ("'" + text).replace('"', '""') in exported
    known = portfolio_crud.known_codes(store)
    parsed = read_holdings_csv((CORPUS / "hold_formulas.csv").read_bytes(), "hf.csv", known)
    assert parsed.names == {"510300.SS": '=HYPERLINK("http://evil.example","x")', "000001": "@SUM(A1)"}
    out = holdings_csv_bytes(parsed.weights_bp, parsed.names).decode("utf-8-sig")
    assert "'=HYPERLINK" in out and "'@SUM(A1)" in out
    assert read_holdings_csv(out.encode("utf-8-sig"), "again.csv", known).names == parsed.names


def test_path_like_names_are_labels_never_paths(store: Store, tmp_path: Path) -> None:
    decoy = tmp_path / "decoy.csv"  # the 'name' points at a real, different file: it must not be read
    decoy.write_bytes((CORPUS / "posts_gbk.csv").read_bytes())
    result = posts.import_posts(store, (CORPUS / "posts_bom.csv").read_bytes(), str(decoy))
    assert result.source == "import:decoy.csv" and _post_texts(store, result.source) == ["带BOM的文件"]
    evil = "../../../etc/passwd\x00\n.csv"
    before = dump_hash(store)
    with pytest.raises(ValidationError) as err:
        posts.import_posts(store, (CORPUS / "posts_ragged.csv").read_bytes(), evil)
    assert "/" not in str(err.value).split(":")[0] and "\n" not in str(err.value)
    assert dump_hash(store) == before
    parsed = read_holdings_csv((CORPUS / "hold_bom.csv").read_bytes(), str(tmp_path / "hold_gbk.csv"),
                               portfolio_crud.known_codes(store))
    assert parsed.weights_bp == {"510300.SS": 10_000}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["decoy.csv", "store.db"] + sorted(
        p.name for p in tmp_path.iterdir() if p.name.startswith("store.db-"))


def test_the_same_file_twice_adds_no_duplicates(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(CORPUS / "posts_same_file.csv")
    assert cli.main(["posts", "import", path]) == 0
    assert "imported 2, duplicates skipped 0" in capsys.readouterr().out
    before = dump_hash(store)
    assert cli.main(["posts", "import", path]) == 0
    assert "imported 0, duplicates skipped 2" in capsys.readouterr().out
    assert dump_hash(store) == before
    again = posts.import_posts(store, Path(path).read_bytes(), "posts_same_file.csv")  # the upload path
    assert (again.imported, again.duplicates) == (0, 2)
    assert dump_hash(store) == before


def test_jsonl_posts_are_accepted(store: Store) -> None:
    result = posts.import_posts(store, (CORPUS / "posts_valid.jsonl").read_bytes(), "v.jsonl", source="again")
    assert (result.imported, result.duplicates) == (0, 1)  # the template already holds this post
