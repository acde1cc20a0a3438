from backend.guide.routes import blp

__all__ = ["blp"]
