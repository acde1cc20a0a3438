"""gunicorn reads this from the working directory; the Procfile holds the rest of the web settings."""


def post_worker_init(worker):
    """Load the word dictionary before the first request, so no resident's first search waits for it."""
    from backend.search.text import warm_up
    warm_up()
