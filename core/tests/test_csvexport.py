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
        ("", ""),
        (-2, -2),
        (None, None),
    ],
)
def test_formula_starts_are_quoted_and_everything_else_kept(value, exported):
    assert spreadsheet_safe(value) == exported
