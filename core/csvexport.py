"""CSV files we hand out: cells a spreadsheet would run as formulas are made plain text."""

from __future__ import annotations

from collections.abc import Iterable

# What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """``value`` unchanged, unless it is text a spreadsheet would evaluate: then quoted with '."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def spreadsheet_safe_row(values: Iterable) -> list:
    return [spreadsheet_safe(value) for value in values]
