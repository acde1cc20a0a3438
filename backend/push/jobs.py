"""The push outbox's worker jobs."""
import time

from flask import current_app

from backend.push.retention import prune_settled
from backend.push.sender import send_due
from backend.worker import job

_next_prune = 0.0  # monotonic time; each worker process prunes on its own clock


@job
def send_push_deliveries() -> int:
    """Send due push deliveries, a few batches at a time."""
    return send_due()


@job
def prune_push_outbox() -> int:
    """Every PUSH_PRUNE_INTERVAL_SECONDS, or at once while a backlog remains: delete old settled pushes."""
    global _next_prune
    if time.monotonic() < _next_prune:
        return 0
    done = prune_settled()
    if not done:
        _next_prune = time.monotonic() + float(current_app.config.get("PUSH_PRUNE_INTERVAL_SECONDS", 3600))
    return done
