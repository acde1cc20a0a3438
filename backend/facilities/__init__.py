from backend.facilities.routes import blp

__all__ = ["blp"]
