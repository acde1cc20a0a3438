from flask import Response, jsonify, request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.common.db import without_transaction
from backend.common.permissions import member_required, principal, staff_required
from backend.errors import NotFound
from backend.notices import fanout, reading, services, stats
from backend.notices import schemas as s
from backend.notices.services import get_notice
from backend.sms import budget

blp = Blueprint("notices", __name__, url_prefix="/api/v1/communities/<int:community_id>/notices",
                description="Notices: residents read them, staff publish and follow them up")


@blp.route("")
class Notices(MethodView):
    @without_transaction
    @member_required
    @blp.arguments(s.NoticeQueryArgsSchema(), location="query")  # an instance: a class is made anew each time
    @blp.response(200, s.NoticePageSchema)
    def get(self, args, community_id):
        """The notices addressed to me: pinned first, then newest."""
        # Dumped already, as the schema would (tests hold them equal), without its cost per field.
        return jsonify(reading.list_for_reader(community_id, principal(), **args))


@blp.route("/search")
class NoticeSearch(MethodView):
    @member_required
    @blp.arguments(s.NoticeSearchArgsSchema, location="query")
    @blp.response(200, s.ReaderNoticeBriefSchema(many=True))
    def get(self, args, community_id):
        """Search the notices addressed to me (Chinese, pinyin or initials)."""
        return reading.search_for_reader(community_id, current_user, **args)


def _revalidated(body: dict, tag: str) -> Response:
    # Private, and asked again every time: a poll that finds the count unchanged is a 304 with no body.
    response = jsonify(body)
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(tag, weak=True)
    return response.make_conditional(request)


@blp.route("/unread-count")
class UnreadCount(MethodView):
    @without_transaction
    @member_required
    @blp.response(200, s.UnreadCountSchema)
    @blp.alt_response(304, description="Not modified: the count is still the one of the If-None-Match tag.")
    def get(self, community_id):
        """How many of my current notices I have not opened (weak ETag; If-None-Match gives 304)."""
        counted = reading.unread_count(community_id, user := principal())
        return _revalidated(counted, reading.unread_tag(community_id, user, counted["unread"]))


@blp.route("/<int:notice_id>")
class NoticeById(MethodView):
    @without_transaction
    @member_required
    @blp.response(200, s.ReaderNoticeSchema)
    def get(self, community_id, notice_id):
        """Open a notice addressed to me (marks it read)."""
        return jsonify(reading.open_notice(community_id, principal(), notice_id))  # dumped already


@blp.route("/<int:notice_id>/acknowledge")
class Acknowledge(MethodView):
    @member_required
    @blp.response(200, s.ReaderNoticeSchema)
    def post(self, community_id, notice_id):
        """Confirm I have received the notice (确认收到)."""
        return reading.acknowledge(community_id, current_user, notice_id)


@blp.route("/manage")
class ManagedNotices(MethodView):
    @staff_required
    @blp.arguments(s.StaffNoticeQueryArgsSchema, location="query")
    @blp.response(200, s.StaffNoticeSchema(many=True))
    def get(self, args, community_id):
        """All of the community's notices, drafts included."""
        return services.list_for_staff(community_id, **args)

    @staff_required
    @blp.arguments(s.NoticeArgsSchema)
    @blp.response(201, s.StaffNoticeSchema)
    def post(self, args, community_id):
        """Write a draft notice."""
        return services.create_notice(community_id, current_user, **args)


@blp.route("/manage/reach")
class Reach(MethodView):
    @staff_required
    @blp.arguments(s.ReachArgsSchema)
    @blp.response(200, s.ReachSchema)
    def post(self, args, community_id):
        """Before publishing: how many residents the audience holds and how many phones will ring."""
        return services.reach(community_id, **args)


@blp.route("/manage/sms-budget")
class SmsBudget(MethodView):
    @staff_required
    @blp.response(200, s.SmsBudgetSchema)
    def get(self, community_id):
        """Texts for urgent notices: this month's budget, the per-notice cap, and what is used."""
        return budget.summary(community_id)

    @staff_required
    @blp.arguments(s.SmsBudgetArgsSchema)
    @blp.response(200, s.SmsBudgetSchema)
    def put(self, args, community_id):
        """Set the community's own monthly SMS budget and per-notice cap."""
        return budget.save(community_id, current_user, **args)


@blp.route("/manage/<int:notice_id>")
class ManagedNoticeById(MethodView):
    @staff_required
    @blp.response(200, s.StaffNoticeSchema)
    def get(self, community_id, notice_id):
        """A notice with its audience and status."""
        return get_notice(community_id, notice_id)

    @staff_required
    @blp.arguments(s.NoticeUpdateArgsSchema(partial=True))
    @blp.response(200, s.StaffNoticeSchema)
    def patch(self, args, community_id, notice_id):
        """Edit a draft or scheduled notice, or correct a published one's wording."""
        return services.update_notice(get_notice(community_id, notice_id), **args)

    @staff_required
    @blp.response(204)
    def delete(self, community_id, notice_id):
        """Delete a draft or scheduled notice."""
        services.delete_notice(get_notice(community_id, notice_id))


@blp.route("/manage/<int:notice_id>/publish")
class Publish(MethodView):
    @staff_required
    @blp.arguments(s.PublishArgsSchema)
    @blp.response(200, s.StaffNoticeSchema)
    def post(self, args, community_id, notice_id):
        """Publish now, or at `publish_at`; pushes go out if the notice says so."""
        return services.publish_notice(get_notice(community_id, notice_id), **args)


@blp.route("/manage/<int:notice_id>/withdraw")
class Withdraw(MethodView):
    @staff_required
    @blp.response(200, s.StaffNoticeSchema)
    def post(self, community_id, notice_id):
        """Withdraw a published or scheduled notice; unsent pushes are cancelled."""
        return services.withdraw_notice(get_notice(community_id, notice_id))


@blp.route("/manage/<int:notice_id>/stats")
class Stats(MethodView):
    @staff_required
    @blp.response(200, s.NoticeStatsSchema)
    def get(self, community_id, notice_id):
        """Addressed, pushed, delivered, read and acknowledged, in total and per grid."""
        return stats.notice_stats(get_notice(community_id, notice_id))


@blp.route("/manage/<int:notice_id>/progress")
class Progress(MethodView):
    @staff_required
    @blp.response(200, s.ProgressSchema)
    def get(self, community_id, notice_id):
        """How far publishing (or the latest reminder) has come: residents handled of all; 404 before any."""
        progress = fanout.progress(get_notice(community_id, notice_id))
        if progress is None:
            raise NotFound("This notice has not been sent.")
        return progress


@blp.route("/manage/<int:notice_id>/unread")
class Unread(MethodView):
    @staff_required
    @blp.arguments(s.UnreadQueryArgsSchema, location="query")
    @blp.response(200, s.UnreadPageSchema)
    def get(self, args, community_id, notice_id):
        """Addressed residents who have not read it, with phone and dwelling, a page at a time."""
        return stats.unread(get_notice(community_id, notice_id), **args)


@blp.route("/manage/<int:notice_id>/remind")
class Remind(MethodView):
    @staff_required
    @blp.response(200, s.RemindResultSchema)
    def post(self, community_id, notice_id):
        """Push the notice again to those who have not read it."""
        return stats.remind_unread(get_notice(community_id, notice_id))
