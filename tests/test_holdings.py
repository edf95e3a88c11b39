"""Holdings CSV import/export and the one percent parser: malformed inputs (each with file,
line and column), encodings, and an export → import round trip of Chinese text and emoji."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialfund.core.errors import ValidationError
from socialfund.core.weights import WeightsSumError, normalise_percent, parse_percent, percent_to_bp
from socialfund.io.holdings import holdings_csv_bytes, read_holdings_csv

REPO = Path(__file__).resolve().parent.parent
KNOWN = ["000001", "510300.SS", "159915.SZ", "600519.SS", "SPY"]
F = "holdings.csv"


def _read(text: str, encoding: str = "utf-8"):  # type: ignore[no-untyped-def]
    return read_holdings_csv(text.encode(encoding), F, KNOWN)


@pytest.mark.parametrize("raw, expected", [
    ("35", Decimal("35")), ("35%", Decimal("35")), (" 35.5 % ", Decimal("35.5")), ("３５％", Decimal("35")),
    ("０.５", Decimal("0.5")), (35, Decimal("35")), (0.1, Decimal("0.1")), ("+12", Decimal("12")), ("100", Decimal(100)),
])
def test_percent_parser_accepts(raw, expected) -> None:  # type: ignore[no-untyped-def]
    assert parse_percent(raw) == expected


@pytest.mark.parametrize("raw, message", [
    ("0,35", "comma"), ("1,000", "comma"), ("", "missing"), ("N/A", "missing"), ("NaN", "missing"),
    ("nan", "missing"), ("-5", "negative"), ("abc", "not a percentage"), ("1e3", "not a percentage"),
    (float("inf"), "finite"), ("150", "more than 100"), (True, "not a number"), (None, "blank"),
])
def test_percent_parser_rejects(raw, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=message):
        parse_percent(raw, file=F, line=3, column="weight")


def test_codes_stay_strings_and_gbk_and_bom_files_decode() -> None:
    text = "code,weight,name\n000001,60,贵州茅台\n510300.SS,40%,沪深300ETF\n"
    for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030"):
        parsed = _read(text, encoding)
        assert parsed.weights_bp == {"000001": 6000, "510300.SS": 4000}, encoding
        assert parsed.names["000001"] == "贵州茅台", encoding


@pytest.mark.parametrize("data, message, line, column", [
    ("code,weight\n510300.SS,50\n510300.SS,50\n".encode(), "duplicate code 510300.SS", 3, "code"),
    ("code,weight\n510300.SS,70\n".encode(), "add up to 70%", None, None),
    ("code,weight\n510300.SS,80\n159915.SZ,50\n".encode(), "add up to 130%", None, None),
    ("code,weight\n510300.SS,0.35\n159915.SZ,0.65\n".encode(), "add up to 1%", None, None),
    ("code,weight\n510300.SS,0,35\n".encode(), "expected 2 fields", 2, None),
    ('code,weight\n510300.SS,"0,35"\n159915.SZ,65\n'.encode(), "comma", 2, "weight"),
    ("code,weight\n510300.SS,-5\nSPY,105\n".encode(), "negative", 2, "weight"),
    ("code,weight\n510300.SS,\nSPY,100\n".encode(), "missing", 2, "weight"),
    ("code,weight\n510300.SS,N/A\nSPY,100\n".encode(), "missing", 2, "weight"),
    ("code,weight\n510300.SS,NaN\nSPY,100\n".encode(), "missing", 2, "weight"),
    ("code,weight\n,50\nSPY,50\n".encode(), "code is blank", 2, "code"),
    ("code,weight\nSPY,50\nNOPE,25\nALSO.NO,25\n".encode(), "line 3: NOPE; line 4: ALSO.NO", 3, "code"),
    (b"", "empty", 1, None),
    (b"code,weight\n", "no holdings", 2, None),
    ("ticker,weight\nSPY,100\n".encode(), "missing column 'code'", 1, "code"),
    ("code,pct\nSPY,100\n".encode(), "missing column 'weight'", 1, "weight"),
    ("code,weight\nSPY,100\n".encode("utf-16"), "unsupported encoding", None, None),
    (bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]) + b"IHDR" * 50, "PNG image",
     None, None),
    (b"code,weight\n" + b"SPY,100\n" + b"x" * 1_000_001, "larger than", None, None),
])
def test_malformed_files_name_file_line_and_column(data: bytes, message: str, line, column) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        read_holdings_csv(data, F, KNOWN)
    err = exc.value
    assert message in str(err)
    assert err.file == F and str(err).startswith(F)
    assert err.line == line and err.column == column


def test_rows_come_from_the_one_csv_reader_and_full_width_headers_still_match() -> None:
    parsed = _read('ＣＯＤＥ,Weight,name\n510300.SS,60,"沪深,\n300"\nSPY,40,x\n')
    assert parsed.weights_bp == {"510300.SS": 6000, "SPY": 4000}
    assert parsed.names == {"510300.SS": "沪深,\n300", "SPY": "x"}
    with pytest.raises(ValidationError) as exc:   # the quoted name spans lines 2-3: SPY is on line 4
        _read('code,weight,name\n510300.SS,60,"a\nb"\nSPY,-40,y\n')
    assert exc.value.line == 4 and exc.value.column == "weight"


def test_sum_error_offers_normalise_and_normalise_is_explicit() -> None:
    with pytest.raises(WeightsSumError) as exc:
        percent_to_bp({"SPY": 35, "510300.SS": 35}, KNOWN)
    assert exc.value.total_pct == 70 and "normalise" in str(exc.value)
    assert normalise_percent({"SPY": 35, "510300.SS": 35}, KNOWN) == {"510300.SS": Decimal("50.00"),
                                                                        "SPY": Decimal("50.00")}
    assert sum(percent_to_bp(normalise_percent({"SPY": 1, "510300.SS": 1, "CASH": 1}, KNOWN)).values()) == 10_000


def test_extra_columns_are_ignored_with_a_warning_and_bare_codes_resolve() -> None:
    parsed = _read("code,weight,comment\n510300,50,x\nspy,50,y\n")
    assert parsed.weights_bp == {"510300.SS": 5000, "SPY": 5000}
    assert any("ignored column(s) comment" in w for w in parsed.warnings)
    assert any("510300 read as 510300.SS" in w for w in parsed.warnings)


def test_export_is_utf8_bom_and_formula_safe() -> None:
    data = holdings_csv_bytes({"SPY": 5000, "CASH": 5000}, {"SPY": "=HYPERLINK(\"http://x\")"})
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


names_text = st.text(alphabet=st.sampled_from(list("贵州茅台沪深基金定投🚀📈😀 abc=+-@'\"，,;")), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(KNOWN), st.integers(min_value=1, max_value=40), min_size=1, max_size=5),
       st.dictionaries(st.sampled_from(KNOWN), names_text))
def test_export_then_import_round_trips_weights_and_chinese_or_emoji_names(raw, names) -> None:  # type: ignore[no-untyped-def]
    weights = percent_to_bp(normalise_percent(raw, KNOWN), KNOWN)
    names = {c: n.strip() for c, n in names.items() if c in weights and n.strip()}
    parsed = read_holdings_csv(holdings_csv_bytes(weights, names), "export.csv", KNOWN)
    assert parsed.weights_bp == weights
    assert parsed.names == names


def _cli(*args: str, env_dir: Path) -> subprocess.CompletedProcess:
    import os
    env = {**os.environ, "SOCIALFUND_DATA_DIR": str(env_dir)}
    env.pop("SOCIALFUND_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "socialfund", "portfolio", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_import_export_and_rejected_input_leaves_store_unchanged(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes("code,weight\n000001,60%\n510300.SS,40\n".encode("gbk"))
    out = _cli("import", str(good), "--name", "命令行组合", env_dir=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("\n") == 1 and "imported portfolio" in out.stdout
    pid = out.stdout.split()[2]
    bad = tmp_path / "bad.csv"
    bad.write_text("code,weight\n000001,60\n000001,40\n", encoding="utf-8")
    db = tmp_path / "socialfund.db"

    def counts() -> tuple[int, int, int]:
        from socialfund.store import open_store
        from socialfund.store.demo import table_counts
        store = open_store(f"sqlite:///{db}")
        c = table_counts(store)
        store.dispose()
        return c["portfolios"], c["portfolio_versions"], c["users"]

    before = counts()
    rejected = _cli("import", str(bad), "--name", "x", env_dir=tmp_path)
    assert rejected.returncode == 2
    assert rejected.stderr.strip().count("\n") == 0
    assert f"{bad}, line 3, column code: duplicate code 000001" in rejected.stderr
    assert counts() == before, "a rejected import changed the store"
    exported = tmp_path / "out.csv"
    done = _cli("export", pid, "--out", str(exported), env_dir=tmp_path)
    assert done.returncode == 0 and done.stdout.count("\n") == 1, done.stderr
    assert exported.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_holdings_csv(exported.read_bytes(), "out.csv", KNOWN).weights_bp == {"000001": 6000, "510300.SS": 4000}
    # another user cannot export a private portfolio: same answer as a missing id
    denied = _cli("export", pid, "--out", str(tmp_path / "o2.csv"), "--owner", "local:someone", env_dir=tmp_path)
    assert denied.returncode == 2 and f"portfolio {pid} not found" in denied.stderr
    assert not (tmp_path / "o2.csv").exists() and db.exists()
