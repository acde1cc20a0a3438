"""The desk: the resource's rotating QR code, the resident's scan, staff marking an arrival."""
from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields, validate

from backend.bookings import checkin
from backend.bookings.routes import blp
from backend.bookings.schemas import BookingSchema
from backend.common.permissions import member_required, staff_required
from backend.extensions import limiter


class DeskCodeSchema(Schema):
    token = fields.String()
    expires_at = fields.DateTime()


class DeskScanArgsSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=100))


def _scanner_key() -> str:
    return f"booking-scan:{getattr(current_user, 'id', None)}"


@blp.route("/resources/<int:resource_id>/code")
class DeskCode(MethodView):
    @staff_required
    @blp.response(200, DeskCodeSchema)
    def get(self, community_id, resource_id):
        """The desk's check-in code for now; it changes every 30 seconds."""
        return checkin.code(community_id, resource_id, current_user)


@blp.route("/scan")
class DeskScan(MethodView):
    # Per person, not per address: everyone at the desk shares the community's Wi-Fi.
    decorators = [limiter.limit("60 per minute", key_func=_scanner_key, methods=["POST"])]

    @member_required
    @blp.arguments(DeskScanArgsSchema)
    @blp.response(200, BookingSchema)
    def post(self, args, community_id):
        """Check in the household's booking of now with the code shown at the desk; again, nothing changes."""
        return checkin.scan(community_id, current_user, args["token"])


@blp.route("/bookings/<int:booking_id>/check-in")
class CheckIn(MethodView):
    @staff_required
    @blp.response(200, BookingSchema)
    def post(self, community_id, booking_id):
        """Mark a resident's arrival (kept in the log)."""
        return checkin.staff_check_in(community_id, booking_id, current_user)
