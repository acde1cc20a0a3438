"""Passwords a neighbour could guess are refused, wherever a password is set."""
from zxcvbn import zxcvbn

from backend.errors import invalid

WEAK_PASSWORD = "This password is too easy to guess."


def refuse_weak_password(password: str, field: str, *user_inputs: str | None) -> None:
    """Common, trivial or made of the person's own phone or name: zxcvbn's score under 2 of 4."""
    # zxcvbn refuses long input (its cost grows with length); the schemas allow 128, tested whole.
    result = zxcvbn(password[:128], user_inputs=[x for x in user_inputs if x], max_length=128)
    if result["score"] < 2:
        raise invalid(field, WEAK_PASSWORD, "weak_password")
