"""gunicorn reads this from the working directory; the Procfile holds the rest of the web settings."""
from gunicorn.glogging import Logger

# The app and the word dictionary load once in the master, before the workers fork: a worker answers as
# soon as it listens, and the dictionary's memory is shared between workers.
preload_app = True


def when_ready(server):
    """Load the word dictionary before the first request, so no resident's first search waits for it."""
    from backend.search.text import warm_up
    warm_up()


def post_worker_init(worker):
    """Each worker opens its own database connections: a connection made before the fork is not shared."""
    from backend.extensions import db
    with worker.wsgi.app_context():
        db.engine.dispose(close=False)


class Logger(Logger):
    """The access log without the build's hashed files: one line per API call or page, not per asset."""

    def access(self, resp, req, environ, request_time):
        if not environ.get("PATH_INFO", "").startswith("/assets/"):
            super().access(resp, req, environ, request_time)


logger_class = Logger
