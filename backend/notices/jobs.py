"""The notices' worker jobs."""
from backend.notices import fanout
from backend.notices.services import publish_due
from backend.worker import job

CHUNKS_A_TURN = 5  # then the push sender gets its turn, so the first phones ring early


@job
def publish_scheduled_notices() -> int:
    """Publish scheduled notices that are due (address_notices then writes their recipients and pushes)."""
    return publish_due()


@job
def address_notices() -> int:
    """Write the recipients, pushes and texts of published notices and reminders, a few chunks a turn."""
    done = 0
    for _ in range(CHUNKS_A_TURN):
        if not (count := fanout.step()):
            break
        done += count
    return done
