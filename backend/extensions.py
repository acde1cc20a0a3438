"""Extensions, created unbound here and bound in create_app."""
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints, so that migrations can alter them on every database.
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


class CommunityLimiter(Limiter):
    """Flask-Limiter that says so at start when its counts are split between gunicorn workers."""

    def init_app(self, app) -> None:
        super().init_app(app)
        workers = app.config["WEB_CONCURRENCY"]
        if self.enabled and workers > 1 and app.config["RATELIMIT_STORAGE_URI"].startswith("memory"):
            # Each worker keeps its own memory counts: the limits are `workers` times looser.
            app.logger.warning(
                "Rate limits are counted in memory by each of %d workers apart, so together they allow %d "
                "times the configured number. Fine for the embedded run; in production set "
                "RATELIMIT_STORAGE_URI=redis://...", workers, workers)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
# Keyed by the client address; behind a reverse proxy TRUSTED_PROXIES makes that the resident's own.
limiter = CommunityLimiter(key_func=get_remote_address, default_limits=[])
api = Api()
