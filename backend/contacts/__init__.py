from backend.contacts import photos  # noqa: F401  (registers the contact photos)
from backend.contacts.routes import blp

__all__ = ["blp"]
