from backend.notices import jobs  # noqa: F401  (registers the worker job)
from backend.notices.routes import blp
from backend.sms import jobs as sms_jobs  # noqa: F401  (the texts urgent notices queue)

__all__ = ["blp"]
