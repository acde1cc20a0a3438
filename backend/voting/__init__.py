from backend.voting import jobs  # noqa: F401  (registers the worker jobs)
from backend.voting.routes import blp

__all__ = ["blp"]
