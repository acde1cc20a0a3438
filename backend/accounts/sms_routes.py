"""/api/v1/auth: codes by SMS to log in or to set a new password."""
from flask import current_app
from flask.views import MethodView

from backend.accounts import sms_codes
from backend.accounts import sms_schemas as s
from backend.accounts.routes import _auth_limit, _login_failures, blp
from backend.accounts.schemas import MeSchema
from backend.common.permissions import public
from backend.extensions import limiter


def _address_limit():
    return current_app.config["SMS_ADDRESS_LIMIT"]


@blp.route("/sms-code")
class SmsCode(MethodView):
    # Per address here; per phone (one a minute, a few an hour) in the service, counted from sms_message.
    decorators = [limiter.limit(_address_limit, methods=["POST"], scope="sms-code",
                                error_message="Too many codes asked for from this network. Try again later.")]

    @public
    @blp.arguments(s.SmsCodeArgsSchema)
    @blp.response(202, s.SmsCodeSchema)
    def post(self, args):
        """Text a six-digit code to this phone, to log in or set a new password (only if it has an account)."""
        return sms_codes.request_code(**args)


@blp.route("/sms-login")
class SmsLogin(MethodView):
    decorators = [limiter.limit(_auth_limit, methods=["POST"]), _login_failures]

    @public
    @blp.arguments(s.SmsLoginArgsSchema)
    @blp.response(200, MeSchema)
    def post(self, args):
        """Log in with phone and the code texted to it."""
        return sms_codes.login_with_code(**args)


@blp.route("/sms-reset")
class SmsReset(MethodView):
    decorators = [limiter.limit(_auth_limit, methods=["POST"]), _login_failures]

    @public
    @blp.arguments(s.SmsResetArgsSchema)
    @blp.response(200, MeSchema)
    def post(self, args):
        """Set a new password with the code texted to the phone; logs in here, out everywhere else."""
        return sms_codes.reset_with_code(**args)
