from backend.providers import photos  # noqa: F401  (registers the providers' file purposes)
from backend.providers.routes import blp

__all__ = ["blp"]
