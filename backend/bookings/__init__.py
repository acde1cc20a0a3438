from backend.bookings import jobs, models, routes_desk  # noqa: F401  (the worker jobs, the desk routes)
from backend.bookings.routes import blp

__all__ = ["blp"]
