"""Names people number: 2栋 before 10栋, as on the estate's own signs."""
import re

_NUMBER = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple:
    """Sort key that reads runs of digits as numbers: 1栋, 2栋, 10栋 (not 1栋, 10栋, 2栋)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in _NUMBER.split(name or "") if part)
