"""The questions' worker job."""
from backend.consult.services import escalate_due
from backend.worker import job


@job
def escalate_overdue_questions() -> int:
    """Escalate open questions past the community's promise to its head, once each."""
    return escalate_due()
