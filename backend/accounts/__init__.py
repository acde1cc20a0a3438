from backend.accounts.routes import admin_blp, blp, staff_blp

__all__ = ["admin_blp", "blp", "staff_blp"]
