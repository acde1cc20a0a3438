from backend.consult import jobs, photos  # noqa: F401  (registers the worker job and the question photos)
from backend.consult.routes import blp

__all__ = ["blp"]
