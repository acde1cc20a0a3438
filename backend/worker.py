"""The background worker: domains register jobs; `flask worker` runs them in a loop."""
import logging
import time
from collections.abc import Callable

from flask import current_app

from backend.extensions import db

JOBS: list[Callable[[], int]] = []


def job(fn: Callable[[], int]) -> Callable[[], int]:
    """Register a job: it does a bounded amount of work and returns how much it did."""
    JOBS.append(fn)
    return fn


def run_once(jobs: list[Callable[[], int]] | None = None) -> int:
    done = 0
    for fn in JOBS if jobs is None else jobs:
        try:
            if count := fn() or 0:
                current_app.logger.info("worker %s: %d done", fn.__name__, count)
            done += count
        except Exception:
            db.session.rollback()
            current_app.logger.exception("worker job %s failed", fn.__name__)
        finally:
            db.session.remove()
    return done


def run_forever(idle_sleep: float = 1.0, only: tuple[str, ...] = ()) -> None:
    """Run the jobs (or just those named in `only`) until stopped."""
    jobs = [fn for fn in JOBS if not only or fn.__name__ in only]
    if unknown := set(only) - {fn.__name__ for fn in JOBS}:
        raise ValueError(f"no such jobs: {sorted(unknown)}")
    current_app.logger.setLevel(logging.INFO)  # say that it runs and what it sends, under honcho too
    current_app.logger.info("worker started with jobs: %s", [fn.__name__ for fn in jobs])
    while True:
        if run_once(jobs) == 0:
            time.sleep(idle_sleep)
