from backend.push import jobs  # noqa: F401  (registers the worker job)
from backend.push.routes import blp

__all__ = ["blp"]
