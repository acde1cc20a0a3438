"""The push outbox's worker job."""
from backend.push.sender import send_due
from backend.worker import job


@job
def send_push_deliveries() -> int:
    """Send due push deliveries, a few batches at a time."""
    return send_due()
