from backend.volunteering import jobs, routes_hours  # noqa: F401  (registers the worker job and the hours routes)
from backend.volunteering.routes import blp
from backend.volunteering.routes_hours import public_blp

__all__ = ["blp", "public_blp"]
