from backend.files import jobs  # noqa: F401  (registers the worker jobs)
from backend.files.routes import blp
from backend.files.services import Purpose, attach, file_url, register_purpose

__all__ = ["Purpose", "attach", "blp", "file_url", "register_purpose"]
