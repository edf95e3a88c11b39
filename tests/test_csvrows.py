"""The one CSV row reader: encodings, quoting, header rules and line numbers."""

from __future__ import annotations

import pytest

from socialfund.core.errors import NotFoundError, ValidationError
from socialfund.io.csvrows import read_csv, read_csv_file


def test_gbk_and_bom_utf8_read_the_same() -> None:
    text = "代码,名称\n510300.SS,沪深300ETF\n"
    a = read_csv(text.encode("gbk"), "a.csv")
    b = read_csv(b"\xef\xbb\xbf" + text.encode("utf-8"), "b.csv")
    assert a.header == b.header == ["代码", "名称"]
    assert [r.cells for r in a] == [r.cells for r in b] == [{"代码": "510300.SS", "名称": "沪深300ETF"}]


def test_quoted_field_with_comma_quote_and_newline_is_one_cell_and_lines_are_physical() -> None:
    table = read_csv('date,text\n2024-01-02,"a, ""b""\nc"\n\n2024-01-03,d\n', "q.csv")
    assert [r["text"] for r in table] == ['a, "b"\nc', "d"]
    assert [r.line for r in table] == [2, 5]


def test_missing_column_names_file_line_and_column() -> None:
    with pytest.raises(ValidationError) as exc:
        read_csv("date,close\n2024-01-02,1\n", "p.csv", required=("date", "code", "close"))
    assert str(exc.value).startswith("p.csv, line 1, column code: missing column 'code'")


def test_ragged_row_refused_with_its_line_unless_allowed() -> None:
    with pytest.raises(ValidationError, match=r"r.csv, line 3: expected 2 fields"):
        read_csv("a,b\n1,2\n3\n", "r.csv")
    assert read_csv("a,b\n1,2\n3\n", "r.csv", ragged=True).rows[1].cells == {"a": "3", "b": ""}


def test_duplicate_and_empty_header_cells_refused() -> None:
    with pytest.raises(ValidationError, match="appears twice"):
        read_csv("a,A\n1,2\n", "d.csv")
    with pytest.raises(ValidationError, match="header cell 2 is empty"):
        read_csv("a,,b\n1,2,3\n", "e.csv")


def test_binary_and_missing_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="gzip"):
        read_csv(b"\x1f\x8b\x08\x00rest", "z.csv")
    with pytest.raises(NotFoundError, match="no such file"):
        read_csv_file(tmp_path / "nope.csv")
    (tmp_path / "ok.csv").write_text("Date,Return\n2024-01-02,0.01\n", encoding="utf-8")
    assert read_csv_file(tmp_path / "ok.csv", required=("date", "return")).rows[0]["return"] == "0.01"
