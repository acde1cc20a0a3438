"""CSV the app writes: cells a spreadsheet would run as a formula are made plain text."""
import unicodedata
from decimal import Decimal

# Excel, LibreOffice and Sheets start a formula with these; tab and carriage return can smuggle one in.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell's text, with a leading ' when it would otherwise start a formula (full-width ＝ too)."""
    if isinstance(value, int | float | Decimal):
        return str(value)  # a number is data, even a negative one
    text = "" if value is None else str(value)
    return "'" + text if unicodedata.normalize("NFKC", text[:1]).startswith(FORMULA_STARTS) else text


def safe_row(values) -> list[str]:
    """A row for csv.writer: every cell through safe_cell."""
    return [safe_cell(v) for v in values]
