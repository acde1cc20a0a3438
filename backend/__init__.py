"""Community Cloud: the Flask application factory."""
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from backend.common.jsonio import OrjsonProvider
from backend.config import Config


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(Config.INSTANCE_PATH))
    app.json = OrjsonProvider(app)
    app.config.from_object(Config)
    app.config.update(config or {})
    # X-Forwarded-For is believed only from the configured number of proxies (none by default).
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"],
                            x_proto=app.config["TRUSTED_PROXIES"])
    _init_extensions(app)
    _register_blueprints(app)
    from backend.errors import register_error_handlers
    register_error_handlers(app)
    return app


def _init_extensions(app: Flask) -> None:
    from backend.common.db import configure_sqlite
    from backend.common.fields import IdConverter
    from backend.extensions import api, db, limiter, login_manager, migrate
    from backend.security import init_security
    from backend.web import AppPath
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["app_path"] = AppPath
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(app.config["MIGRATIONS_DIR"]))
    login_manager.init_app(app)
    limiter.init_app(app)
    api.init_app(app)
    init_security(app)


def _register_blueprints(app: Flask) -> None:
    from backend import (
        accounts,
        bookings,
        contacts,
        facilities,
        files,
        guide,
        notices,
        places,
        providers,
        push,
        search,
        voting,
        web,
    )
    from backend.cli import register_commands
    from backend.consult import blp as consult_blp
    from backend.extensions import api
    from backend.points import blp as points_blp
    from backend.volunteering import blp as volunteering_blp
    from backend.volunteering import public_blp as certificates_blp
    for blp in (accounts.blp, accounts.staff_blp, accounts.admin_blp, places.blp, notices.blp, push.blp,
                guide.blp, facilities.blp, search.blp, files.blp, voting.blp, contacts.blp, consult_blp,
                points_blp, volunteering_blp, certificates_blp, bookings.blp, providers.blp):
        api.register_blueprint(blp)
    from backend.common.openapi import document_api
    document_api(api)
    app.register_blueprint(web.blp)
    web.serve_built_files(app)
    register_commands(app)
