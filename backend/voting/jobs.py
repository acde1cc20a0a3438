"""The voting worker jobs: open and close on schedule, remind a day before the close."""
from backend.voting.services import close_due, open_due, remind_due
from backend.worker import job


@job
def open_scheduled_polls() -> int:
    """Open polls whose time has come (freezing their roll and telling the voters)."""
    return open_due()


@job
def close_polls_past_deadline() -> int:
    """Close open polls whose deadline has passed."""
    return close_due()


@job
def remind_polls_closing_soon() -> int:
    """One reminder, a day before the close, to those who have not voted."""
    return remind_due()
