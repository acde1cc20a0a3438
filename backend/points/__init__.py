from backend.points import admin, jobs, photos  # noqa: F401  (the staff routes, worker jobs, catalogue photos)
from backend.points.routes import blp

__all__ = ["blp"]
