from backend.voting import jobs, photos  # noqa: F401  (registers the worker jobs and the consent photos)
from backend.voting.routes import blp

__all__ = ["blp"]
