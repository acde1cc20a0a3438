"""The push outbox's worker job."""
from backend.push.sender import send_due
from backend.worker import job


@job
def send_push_deliveries() -> int:
    """Send one batch of due push deliveries."""
    return send_due()
