"""The text outbox's worker job."""
from backend.worker import job


@job
def send_notice_texts() -> int:
    """Hand queued notice texts to the SMS provider (at most once each)."""
    from backend.sms.outbox import send_due  # loaded when it runs: the outbox imports the places, which load this
    return send_due()
