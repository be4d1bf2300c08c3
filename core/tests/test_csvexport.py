import pytest

from core.csvexport import spreadsheet_safe


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        ("=1+1", "'=1+1"),
        ("+49 711 123", "'+49 711 123"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("QN-2", "QN-2"),
        (";=1+1", ";'=1+1"),
        ("a, -1", "a, '-1"),
        ("=a;=b", "'=a;'=b"),
        ("1,5 mm", "1,5 mm"),
        ("", ""),
        (-2, -2),
        (None, None),
    ],
)
def test_formula_starts_are_quoted_and_everything_else_kept(value, exported):
    assert spreadsheet_safe(value) == exported


# --- the writer: both dialects --------------------------------------------------------------------

import csv  # noqa: E402
import io  # noqa: E402
from decimal import Decimal  # noqa: E402

from core.csvexport import writer  # noqa: E402

ATTACKS = ["=1+1", ";=1+1", ",=1+1", 'a;=HYPERLINK("x")', "x, @SUM(A1)", "+1", "-1", "\rcmd"]


def _read(line, delimiter):
    return next(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter))


def _written(row, delimiter):
    buffer = io.StringIO()
    writer(buffer, delimiter=delimiter).writerow(row)
    return buffer.getvalue()


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("attack", ATTACKS)
def test_formula_text_is_quoted_and_prefixed_in_both_dialects(attack, delimiter):
    line = _written(["QN-1", attack, 3], delimiter)
    safe = spreadsheet_safe(attack)
    assert safe != attack
    assert '"' + safe.replace('"', '""') + '"' in line
    for separator in (",", ";"):
        # Read with either separator, no cell starts a formula.
        cells = _read(line, separator)
        starts = ("=", "+", "-", "@", "\t", "\r")
        assert not any(cell.lstrip(" ").startswith(starts) for cell in cells), cells
    assert _read(line, delimiter) == ["QN-1", safe, "3"]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_our_numbers_stay_numbers(delimiter):
    line = _written([-5, Decimal("-0.25"), -1.5, 0, "plain", None, ""], delimiter)
    assert line == delimiter.join(["-5", "-0.25", "-1.5", "0", "plain", "", ""]) + "\r\n"


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_rows_with_a_neutralised_cell_keep_their_other_cells(delimiter):
    row = ['He said "no"', f"a{delimiter}b", -5, None, "=cmd", "", "line\nbreak"]
    line = _written(row, delimiter)
    assert _read(line, delimiter) == [
        'He said "no"',
        f"a{delimiter}b",
        "-5",
        "",
        "'=cmd",
        "",
        "line\nbreak",
    ]


def test_neutralising_twice_changes_nothing():
    once = spreadsheet_safe(";=1+1")
    assert spreadsheet_safe(once) == once == ";'=1+1"


@pytest.mark.parametrize("position", range(4))
@pytest.mark.parametrize("attack", ["=1+1", "ok;=1+1", "a, @SUM(A1)"])
def test_a_formula_in_any_cell_of_a_row_is_neutralised(position, attack):
    """The writer looks at a whole row at once; a formula in any of its cells still counts."""
    cells = ["2026-03-05", 12, "Burr on edge", "CL-1"]
    cells[position] = attack
    target = io.StringIO()
    writer(target).writerow(cells)
    read = next(csv.reader(io.StringIO(target.getvalue())))
    assert read[position] == spreadsheet_safe(attack)
    assert read[position].count("'") >= 1
    assert [cell for n, cell in enumerate(read) if n != position] == [
        str(cell) for n, cell in enumerate(cells) if n != position
    ]


def test_a_separator_at_the_end_of_one_cell_does_not_taint_the_next():
    target = io.StringIO()
    writer(target).writerow(["a,", "b", "c; ", "2026-03-05"])
    assert target.getvalue() == '"a,",b,c; ,2026-03-05\r\n'
