from datetime import date

from flask import Response
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.bookings import booking, export, resources, rules, settings, slots
from backend.bookings import schemas as s
from backend.common.models import utcnow
from backend.common.permissions import is_staff_of, member_required, staff_required

blp = Blueprint("bookings", __name__, url_prefix="/api/v1/communities/<int:community_id>/bookings",
                description="Bookings (预约): rooms and services in time slots, waitlists, approvals")


def _first(community_id: int, args: dict) -> date:
    return args.get("start") or slots.local_day(community_id, utcnow())


@blp.route("/resources")
class Resources(MethodView):
    @member_required
    @blp.arguments(s.ResourceQueryArgsSchema, location="query")
    @blp.response(200, s.ResourceSchema(many=True))
    def get(self, args, community_id):
        """Rooms and services to book (staff also see drafts and closed ones), with the next free slot."""
        return resources.list_resources(community_id, current_user, args.get("kind"))

    @staff_required
    @blp.arguments(s.ResourceArgsSchema)
    @blp.response(201, s.ResourceSchema)
    def post(self, args, community_id):
        """Create a resource (a draft until published)."""
        return resources.save_resource(community_id, current_user, **args)


@blp.route("/resources/<int:resource_id>")
class ResourceById(MethodView):
    @member_required
    @blp.response(200, s.ResourceSchema)
    def get(self, community_id, resource_id):
        """One resource (a draft only for staff)."""
        return resources.show_resource(community_id, resource_id, current_user)

    @staff_required
    @blp.arguments(s.ResourceArgsSchema)
    @blp.response(200, s.ResourceSchema)
    def put(self, args, community_id, resource_id):
        """Change a resource's rules; fewer seats never cancel bookings already made."""
        return resources.save_resource(community_id, current_user, resource_id, **args)


@blp.route("/resources/<int:resource_id>/publish")
class Publish(MethodView):
    @staff_required
    @blp.response(200, s.ResourceSchema)
    def post(self, community_id, resource_id):
        """Open a draft or closed resource for booking."""
        return resources.set_status(community_id, resource_id, "open")


@blp.route("/resources/<int:resource_id>/close")
class Close(MethodView):
    @staff_required
    @blp.response(200, s.ResourceSchema)
    def post(self, community_id, resource_id):
        """Stop new bookings; the existing ones stand."""
        return resources.set_status(community_id, resource_id, "closed")


@blp.route("/resources/<int:resource_id>/slots")
class Slots(MethodView):
    @member_required
    @blp.arguments(s.BookingSlotsQueryArgsSchema, location="query")
    @blp.response(200, s.BookingDaysSchema)
    def get(self, args, community_id, resource_id):
        """The slots of the coming days: seats free, why not bookable, my household's booking."""
        resource = resources.get_resource(community_id, resource_id, current_user)
        homes = {r.dwelling_id for r in rules.homes(community_id, current_user.id)}
        return slots.days_view(resource, _first(community_id, args), args["days"], utcnow(), homes,
                               is_staff_of(community_id))


@blp.route("/resources/<int:resource_id>/slots/block")
class Block(MethodView):
    @staff_required
    @blp.arguments(s.BookingBlockArgsSchema)
    @blp.response(200, s.BookingSlotSchema)
    def post(self, args, community_id, resource_id):
        """Block a slot (its bookings stay; cancel them separately)."""
        return resources.block(community_id, resource_id, current_user, args["starts_at"], args["reason"])


@blp.route("/resources/<int:resource_id>/slots/unblock")
class Unblock(MethodView):
    @staff_required
    @blp.arguments(s.BookingUnblockArgsSchema)
    @blp.response(200, s.BookingSlotSchema)
    def post(self, args, community_id, resource_id):
        """Open a blocked slot again."""
        return resources.block(community_id, resource_id, current_user, args["starts_at"], blocked=False)


@blp.route("/resources/<int:resource_id>/book")
class Book(MethodView):
    @member_required
    @blp.arguments(s.BookArgsSchema)
    @blp.response(201, s.BookingSchema)
    def post(self, args, community_id, resource_id):
        """Book seats of a slot for my household (or join its waitlist)."""
        return booking.book(community_id, resource_id, current_user, **args)


@blp.route("/resources/<int:resource_id>/book-for")
class BookFor(MethodView):
    @staff_required
    @blp.arguments(s.BookForArgsSchema)
    @blp.response(201, s.BookingSchema)
    def post(self, args, community_id, resource_id):
        """Book at the desk for a resident without a phone (no notice or advance limits; audited)."""
        return booking.book_for(community_id, resource_id, current_user, **args)


@blp.route("/mine")
class Mine(MethodView):
    @member_required
    @blp.arguments(s.BookingMineQueryArgsSchema, location="query")
    @blp.response(200, s.BookingSchema(many=True))
    def get(self, args, community_id):
        """My household's bookings, upcoming (soonest first) or past."""
        return booking.mine(community_id, current_user, args["scope"])


@blp.route("/bookings/<int:booking_id>")
class BookingById(MethodView):
    @member_required
    @blp.response(200, s.BookingSchema)
    def get(self, community_id, booking_id):
        """One booking (its household or staff)."""
        return booking.present([booking.get_booking(community_id, booking_id, current_user)], current_user)[0]


@blp.route("/bookings/<int:booking_id>/cancel")
class Cancel(MethodView):
    @member_required
    @blp.arguments(s.BookingReasonArgsSchema)
    @blp.response(200, s.BookingSchema)
    def post(self, args, community_id, booking_id):
        """Cancel a booking (residents before the cut-off); the waitlist moves up."""
        return booking.cancel(community_id, booking_id, current_user, args["reason"])


@blp.route("/calendar")
class Calendar(MethodView):
    @staff_required
    @blp.arguments(s.BookingCalendarQueryArgsSchema, location="query")
    @blp.response(200, s.BookingDaysSchema)
    def get(self, args, community_id):
        """A resource's slots with every booking, for the day and week views."""
        return export.calendar(community_id, args["resource_id"], _first(community_id, args), args["days"],
                               utcnow())


@blp.route("/approvals")
class Approvals(MethodView):
    @staff_required
    @blp.response(200, s.BookingSchema(many=True))
    def get(self, community_id):
        """Bookings waiting for approval, oldest first."""
        return export.approvals(community_id, current_user)


@blp.route("/bookings/<int:booking_id>/approve")
class Approve(MethodView):
    @staff_required
    @blp.response(200, s.BookingSchema)
    def post(self, community_id, booking_id):
        """Approve a pending booking."""
        return booking.approve(community_id, booking_id, current_user)


@blp.route("/bookings/<int:booking_id>/refuse")
class Refuse(MethodView):
    @staff_required
    @blp.arguments(s.RefuseArgsSchema)
    @blp.response(200, s.BookingSchema)
    def post(self, args, community_id, booking_id):
        """Refuse a pending booking with a reason; its seats go to the waitlist."""
        return booking.refuse(community_id, booking_id, current_user, args["reason"])


@blp.route("/export.csv")
class ExportCsv(MethodView):
    @staff_required
    @blp.arguments(s.BookingExportQueryArgsSchema, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, args, community_id):
        """Bookings of a date range as CSV (UTF-8 with BOM)."""
        body = export.bookings_csv(community_id, args["start"], args["end"], args.get("resource_id"))
        return Response(body, mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="bookings.csv"'})


@blp.route("/settings")
class Settings(MethodView):
    @staff_required
    @blp.response(200, s.BookingSettingsSchema)
    def get(self, community_id):
        """The community's booking rules."""
        return settings.get(community_id)

    @staff_required
    @blp.arguments(s.BookingSettingsArgsSchema)
    @blp.response(200, s.BookingSettingsSchema)
    def put(self, args, community_id):
        """Change the no-show penalty, the age of seniors, reminders."""
        return settings.save(community_id, **args)


@blp.route("/log")
class Log(MethodView):
    @staff_required
    @blp.arguments(s.BookingLogQueryArgsSchema, location="query")
    @blp.response(200, s.BookingLogSchema(many=True))
    def get(self, args, community_id):
        """What staff did to bookings, newest first."""
        return export.audit_log(community_id, args.get("booking_id"))
