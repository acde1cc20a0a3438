from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.common.permissions import login_required, public
from backend.push import schemas as s
from backend.push import services, vapid

blp = Blueprint("push", __name__, url_prefix="/api/v1/push", description="Web Push devices and preferences")


@blp.route("/vapid-public-key")
class VapidPublicKey(MethodView):
    @public
    @blp.response(200, s.VapidKeySchema)
    def get(self):
        """The application server key browsers subscribe with."""
        return {"public_key": vapid.public_key()}


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    @login_required
    @blp.response(200, s.SubscriptionSchema(many=True))
    def get(self):
        """My devices that receive pushes."""
        return services.list_subscriptions(current_user)

    @login_required
    @blp.arguments(s.SubscriptionArgsSchema)
    @blp.response(201, s.SubscriptionSchema)
    def post(self, args):
        """Register this device (again); `old_endpoint` replaces a subscription the browser renewed."""
        return services.subscribe(current_user, **args)


@blp.route("/subscriptions/remove")
class SubscriptionRemove(MethodView):
    @login_required
    @blp.arguments(s.UnsubscribeArgsSchema)
    @blp.response(204)
    def post(self, args):
        """Stop pushes to this device."""
        services.unsubscribe(current_user, **args)


@blp.route("/preferences")
class Preferences(MethodView):
    @login_required
    @blp.response(200, s.PreferencesSchema)
    def get(self):
        """Which categories ring my phone, and my quiet hours."""
        return services.get_preferences(current_user)

    @login_required
    @blp.arguments(s.PreferencesSchema)
    @blp.response(200, s.PreferencesSchema)
    def put(self, args):
        """Change which categories ring my phone, and my quiet hours (urgent always rings)."""
        return services.save_preferences(current_user, **args)
