from backend.accounts.routes import admin_blp, blp, staff_blp

__all__ = ["admin_blp", "blp", "staff_blp"]

# After routes (which loads the schemas and services in the order they need): its views join blp.
from backend.accounts import sms_routes  # noqa: E402, F401
