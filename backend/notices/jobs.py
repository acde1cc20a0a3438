"""The notices' worker job."""
from backend.notices.services import publish_due
from backend.worker import job


@job
def publish_scheduled_notices() -> int:
    """Publish scheduled notices that are due (their pushes then go through the outbox)."""
    return publish_due()
