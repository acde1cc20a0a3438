"""The files worker job: uploads nobody attached are deleted after a while."""
from backend.files.services import sweep_orphans
from backend.worker import job


@job
def sweep_orphan_files() -> int:
    """Delete uploads never attached to a row, with their stored copies."""
    return sweep_orphans()
