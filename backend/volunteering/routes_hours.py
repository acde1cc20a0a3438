from flask import Response, request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.common.pagination import PageArgsSchema, page_schema
from backend.common.permissions import member_required, public, staff_required
from backend.extensions import limiter
from backend.volunteering import attendance, hours, pdf, registry
from backend.volunteering import schemas as s
from backend.volunteering.routes import blp

public_blp = Blueprint("volunteering_public", __name__, url_prefix="/api/v1/certificates",
                       description="Anyone checks a volunteer hours certificate by its code")
ApprovalPageSchema = page_schema(s.HoursApprovalSchema)


def _scanner_key() -> str:
    return f"volunteer-scan:{getattr(current_user, 'id', None)}"


def _csv(body: bytes, name: str) -> Response:
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@blp.route("/activities/<int:activity_id>/sheet.csv")
class SheetCsv(MethodView):
    @staff_required
    @blp.response(200, content_type="text/csv")
    def get(self, community_id, activity_id):
        """The attendance sheet as CSV (UTF-8 with BOM)."""
        return _csv(hours.sheet_csv(community_id, activity_id), f"activity-{activity_id}-sheet.csv")


@blp.route("/activities/<int:activity_id>/code")
class Code(MethodView):
    @staff_required
    @blp.arguments(s.ScanCodeArgsSchema, location="query")
    @blp.response(200, s.ScanCodeSchema)
    def get(self, args, community_id, activity_id):
        """The check-in (or check-out) code for now; it changes every 30 seconds."""
        return attendance.code(community_id, activity_id, args["mode"])


@blp.route("/scan")
class Scan(MethodView):
    # Per person, not per address: a whole team scans at once from the same community Wi-Fi.
    decorators = [limiter.limit("60 per minute", key_func=_scanner_key, methods=["POST"])]

    @member_required
    @blp.arguments(s.VolunteerScanArgsSchema)
    @blp.response(200, s.VolunteerScanSchema)
    def post(self, args, community_id):
        """Check in or out with the code shown by staff; scanning again changes nothing."""
        return attendance.scan(community_id, current_user, args["token"])


@blp.route("/activities/<int:activity_id>/attendance")
class Record(MethodView):
    @staff_required
    @blp.arguments(s.AttendanceRecordArgsSchema)
    @blp.response(201, s.AttendanceSchema)
    def post(self, args, community_id, activity_id):
        """Record the times of a volunteer without a phone (kept with who recorded them)."""
        row = attendance.record(community_id, activity_id, current_user, **args)
        return attendance._with_points([row])[0]


@blp.route("/approvals")
class Approvals(MethodView):
    @staff_required
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ApprovalPageSchema)
    def get(self, args, community_id):
        """Checked-out attendance waiting for approval, oldest first, with minutes and points."""
        return attendance.approvals(community_id, **args)


@blp.route("/attendance/<int:attendance_id>/approve")
class ApproveHours(MethodView):
    @staff_required
    @blp.arguments(s.ApproveHoursArgsSchema)
    @blp.response(200, s.AttendanceSchema)
    def post(self, args, community_id, attendance_id):
        """Approve the hours (other minutes need a reason); the points are awarded at once."""
        return attendance.approve(community_id, attendance_id, current_user, **args)


@blp.route("/attendance/<int:attendance_id>/adjust")
class AdjustHours(MethodView):
    @staff_required
    @blp.arguments(s.AdjustHoursArgsSchema)
    @blp.response(200, s.AttendanceSchema)
    def post(self, args, community_id, attendance_id):
        """Change approved minutes, saying why; the difference in points is awarded or taken back."""
        return attendance.adjust(community_id, attendance_id, current_user, **args)


@blp.route("/attendance/<int:attendance_id>/reject")
class RejectHours(MethodView):
    @staff_required
    @blp.arguments(s.VolunteerReasonArgsSchema)
    @blp.response(200, s.AttendanceSchema)
    def post(self, args, community_id, attendance_id):
        """Reject the hours, saying why."""
        return attendance.reject(community_id, attendance_id, current_user, args["reason"])


@blp.route("/me/history")
class History(MethodView):
    @member_required
    @blp.response(200, s.VolunteerHistorySchema(many=True))
    def get(self, community_id):
        """My attendance: activity, minutes, points and whether approved."""
        return attendance.history(community_id, current_user)


@blp.route("/settings")
class Settings(MethodView):
    @staff_required
    @blp.response(200, s.VolunteerSettingsSchema)
    def get(self, community_id):
        """How hours are rounded, how early check-in opens, whether reminders are sent."""
        return registry.settings(community_id)

    @staff_required
    @blp.arguments(s.VolunteerSettingsSchema)
    @blp.response(200, s.VolunteerSettingsSchema)
    def put(self, args, community_id):
        """Change the settings."""
        return registry.save_settings(community_id, **args)


@blp.route("/certificates")
class Certificates(MethodView):
    decorators = [limiter.limit("20 per hour", methods=["POST"])]

    @member_required
    @blp.arguments(s.VolunteerCertificateArgsSchema)
    @blp.response(201, s.VolunteerCertificateSchema)
    def post(self, args, community_id):
        """Issue a certificate of my approved hours in the period."""
        return hours.card(hours.issue(community_id, current_user, args["start"], args["end"]))


@blp.route("/certificates/<code>.pdf")
class CertificatePdf(MethodView):
    @member_required
    @blp.response(200, content_type="application/pdf")
    def get(self, community_id, code):
        """The certificate as a PDF (its holder, and the community's staff)."""
        cert = hours.own_certificate(community_id, code, current_user)
        return Response(pdf.render(cert, request.host_url.rstrip("/")), mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="certificate-{cert.code}.pdf"'})


@blp.route("/board")
class Board(MethodView):
    @member_required
    @blp.arguments(s.VolunteerYearArgsSchema, location="query")
    @blp.response(200, s.VolunteerBoardRowSchema(many=True))
    def get(self, args, community_id):
        """The year's most serving volunteers, of those who agreed to be shown (top 50)."""
        return hours.board(community_id, args.get("year") or hours.this_year(community_id))


@blp.route("/export/hours.csv")
class HoursCsv(MethodView):
    @staff_required
    @blp.arguments(s.VolunteerYearArgsSchema, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, args, community_id):
        """Approved hours per volunteer in a year as CSV (UTF-8 with BOM)."""
        year = args.get("year") or hours.this_year(community_id)
        return _csv(hours.hours_csv(community_id, year), f"volunteer-hours-{year}.csv")


@public_blp.route("/<code>")
class Verify(MethodView):
    decorators = [limiter.limit("30 per minute")]

    @public
    @public_blp.response(200, s.CertificateCheckSchema)
    def get(self, code):
        """Check a certificate by the code printed on it (the name is masked)."""
        return hours.verify(code)
