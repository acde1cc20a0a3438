"""The points worker jobs."""
from backend.points.books import expire_year
from backend.points.market import expire_due
from backend.worker import job


@job
def expire_redemptions() -> int:
    """Reserved redemptions not picked up in time: points and stock come back."""
    return expire_due()


@job
def expire_points_yearly() -> int:
    """Points earned in year Y and unspent at the end of Y+1 go back to the pool (if the community says so)."""
    return expire_year()
