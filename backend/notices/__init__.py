from backend.notices import jobs  # noqa: F401  (registers the worker job)
from backend.notices.routes import blp

__all__ = ["blp"]
