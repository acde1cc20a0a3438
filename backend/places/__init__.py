from backend.places.routes import blp

__all__ = ["blp"]
