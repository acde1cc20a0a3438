from flask import Response
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.accounts.models import User
from backend.common.pagination import PageArgsSchema
from backend.common.permissions import member_required, public, staff_required
from backend.errors import invalid
from backend.extensions import db, limiter
from backend.voting import ballots, export, reading, results, services
from backend.voting import schemas as s
from backend.voting.services import get_poll

blp = Blueprint("voting", __name__, url_prefix="/api/v1/communities/<int:community_id>/polls",
                description="Voting: opinion polls and owners' decisions (Civil Code Art. 278)")


@blp.route("")
class Polls(MethodView):
    @member_required
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, s.ResidentPollSchema(many=True))
    def get(self, args, community_id):
        """Polls of my community, open ones first, with whether I may vote and have voted."""
        return reading.list_for_resident(community_id, current_user, **args)


@blp.route("/<int:poll_id>")
class PollById(MethodView):
    @member_required
    @blp.response(200, s.ResidentPollSchema)
    def get(self, community_id, poll_id):
        """One poll: its question, options, deadline, and my vote."""
        return reading.for_resident(get_poll(community_id, poll_id), current_user)


@blp.route("/<int:poll_id>/ballots")
class Ballots(MethodView):
    @member_required
    @blp.arguments(s.BallotArgsSchema)
    @blp.response(201, s.CastSchema)
    def post(self, args, community_id, poll_id):
        """Vote (or, where the poll allows it, change my vote); the receipt is shown once."""
        return ballots.cast_online(reading.published(community_id, poll_id), current_user, args["choices"])


@blp.route("/<int:poll_id>/code-ballots")
class CodeBallots(MethodView):
    decorators = [limiter.limit("10 per minute; 50 per hour", methods=["POST"])]

    @public
    @blp.arguments(s.PaperBallotArgsSchema)
    @blp.response(201, s.CastSchema)
    def post(self, args, community_id, poll_id):
        """Vote with the code on a paper slip (scanned or typed): no account needed."""
        return ballots.cast_paper(reading.published(community_id, poll_id), args["code"], args["choices"])


@blp.route("/<int:poll_id>/code-check")
class CodeCheck(MethodView):
    decorators = [limiter.limit("10 per minute; 50 per hour", methods=["POST"])]

    @public
    @blp.arguments(s.CodeArgsSchema)
    @blp.response(200, s.PollSchema)
    def post(self, args, community_id, poll_id):
        """The question and options a paper slip's code may vote on (no account needed)."""
        return ballots.poll_for_code(reading.published(community_id, poll_id), args["code"])


@blp.route("/<int:poll_id>/results")
class Results(MethodView):
    @member_required
    @blp.response(200, s.ResultsSchema)
    def get(self, community_id, poll_id):
        """Counts, turnout and (owners' decisions) the four ratios, when the poll shows them."""
        poll = reading.published(community_id, poll_id)
        results.require_visible(poll, current_user)
        return results.count(poll)


@blp.route("/<int:poll_id>/receipts")
class Receipts(MethodView):
    @member_required
    @blp.arguments(s.ReceiptQueryArgsSchema, location="query")
    @blp.response(200, s.ReceiptSchema(many=True))
    def get(self, args, community_id, poll_id):
        """After close: every ballot by its receipt's hash, to find mine and to recount."""
        return results.receipts(reading.published(community_id, poll_id), **args)


@blp.route("/<int:poll_id>/receipts/<string:receipt>")
class ReceiptById(MethodView):
    @member_required
    @blp.response(200, s.ReceiptSchema)
    def get(self, community_id, poll_id, receipt):
        """After close: the ballot with this receipt, as counted."""
        return ballots.find_receipt(reading.published(community_id, poll_id), receipt)


@blp.route("/<int:poll_id>/dispute")
class Dispute(MethodView):
    @member_required
    @blp.arguments(s.ReasonArgsSchema)
    @blp.response(200, s.ProxyConsentSchema)
    def post(self, args, community_id, poll_id):
        """Say that the vote staff entered for me was not what I agreed to."""
        return ballots.dispute_proxy(reading.published(community_id, poll_id), current_user, args["reason"])


# Staff


@blp.route("/manage")
class ManagedPolls(MethodView):
    @staff_required
    @blp.arguments(s.StaffPollQueryArgsSchema, location="query")
    @blp.response(200, s.PollSchema(many=True))
    def get(self, args, community_id):
        """All of the community's polls, drafts included, newest first."""
        return services.list_for_staff(community_id, **args)

    @staff_required
    @blp.arguments(s.PollArgsSchema)
    @blp.response(201, s.PollSchema)
    def post(self, args, community_id):
        """Write a draft poll."""
        return services.create_poll(community_id, current_user, **args)


@blp.route("/manage/<int:poll_id>")
class ManagedPollById(MethodView):
    @staff_required
    @blp.response(200, s.PollSchema)
    def get(self, community_id, poll_id):
        """A poll as staff see it."""
        return get_poll(community_id, poll_id)

    @staff_required
    @blp.arguments(s.PollUpdateArgsSchema(partial=True))
    @blp.response(200, s.PollSchema)
    def patch(self, args, community_id, poll_id):
        """Change a draft."""
        return services.update_poll(get_poll(community_id, poll_id), **args)

    @staff_required
    @blp.response(204)
    def delete(self, community_id, poll_id):
        """Delete a draft."""
        services.delete_poll(get_poll(community_id, poll_id))


@blp.route("/manage/<int:poll_id>/roll")
class Roll(MethodView):
    @staff_required
    @blp.response(200, s.RollPreviewSchema)
    def get(self, community_id, poll_id):
        """Units, total area and heads: frozen once open, a preview before."""
        return reading.roll_totals(get_poll(community_id, poll_id))


@blp.route("/manage/<int:poll_id>/roll.csv")
class RollExport(MethodView):
    @staff_required
    @blp.response(200, content_type="text/csv")
    def get(self, community_id, poll_id):
        """The frozen roll of an owners' decision: units, their dwellings, area and owners."""
        poll = get_poll(community_id, poll_id)
        return Response(export.roll_csv(reading.roll_rows(poll)), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="poll-{poll.id}-roll.csv"'})


@blp.route("/manage/<int:poll_id>/publish")
class Publish(MethodView):
    @staff_required
    @blp.response(200, s.PollSchema)
    def post(self, community_id, poll_id):
        """Open now (freezing the roll and telling the voters), or at its opening time."""
        return services.publish_poll(get_poll(community_id, poll_id))


@blp.route("/manage/<int:poll_id>/close")
class Close(MethodView):
    @staff_required
    @blp.response(200, s.PollSchema)
    def post(self, community_id, poll_id):
        """Close now, before the deadline."""
        return services.close_poll(get_poll(community_id, poll_id))


@blp.route("/manage/<int:poll_id>/withdraw")
class Withdraw(MethodView):
    @staff_required
    @blp.arguments(s.ReasonArgsSchema)
    @blp.response(200, s.PollSchema)
    def post(self, args, community_id, poll_id):
        """Stop a poll before it closes: its ballots are kept, void."""
        return services.withdraw_poll(get_poll(community_id, poll_id), args["reason"])


@blp.route("/manage/<int:poll_id>/turnout")
class Turnout(MethodView):
    @staff_required
    @blp.response(200, s.TurnoutSchema)
    def get(self, community_id, poll_id):
        """Who has voted, by building and channel, live (never what they chose)."""
        return results.turnout(get_poll(community_id, poll_id))


@blp.route("/manage/<int:poll_id>/paper-codes")
class PaperCodes(MethodView):
    @staff_required
    @blp.response(201, s.SlipSchema(many=True))
    def post(self, community_id, poll_id):
        """Codes for every unit or home without one, to print on slips: shown this once."""
        return ballots.issue_paper_codes(get_poll(community_id, poll_id))


@blp.route("/manage/<int:poll_id>/paper-ballots")
class PaperBallots(MethodView):
    @staff_required
    @blp.arguments(s.PaperBallotArgsSchema)
    @blp.response(201, s.CastSchema)
    def post(self, args, community_id, poll_id):
        """Enter a paper ballot by the code on its slip."""
        poll = get_poll(community_id, poll_id)
        return ballots.cast_paper(poll, args["code"], args["choices"], staff=current_user)


@blp.route("/manage/<int:poll_id>/proxy-ballots")
class ProxyBallots(MethodView):
    @staff_required
    @blp.arguments(s.ProxyBallotArgsSchema)
    @blp.response(201, s.CastSchema)
    def post(self, args, community_id, poll_id):
        """Vote for a resident without a phone, on their signed consent (one per voter)."""
        poll = get_poll(community_id, poll_id)
        resident = db.session.get(User, args.pop("resident_id"))
        if resident is None:
            raise invalid("resident_id", "No such resident.")
        return ballots.cast_proxy(poll, current_user, resident, **args)


@blp.route("/manage/<int:poll_id>/results")
class StaffResults(MethodView):
    @staff_required
    @blp.response(200, s.ResultsSchema)
    def get(self, community_id, poll_id):
        """The count, when the poll shows it (staff follow turnout live instead)."""
        poll = get_poll(community_id, poll_id)
        results.require_visible(poll, current_user)
        return results.count(poll)


@blp.route("/manage/<int:poll_id>/results.csv")
class ResultsCsv(MethodView):
    @staff_required
    @blp.response(200, content_type="text/csv")
    def get(self, community_id, poll_id):
        """Counts by option, channel and building, for a spreadsheet."""
        poll = get_poll(community_id, poll_id)
        results.require_visible(poll, current_user)
        return Response(export.result_csv(results.count(poll)), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="poll-{poll.id}.csv"'})


@blp.route("/manage/<int:poll_id>/results.pdf")
class ResultsPdf(MethodView):
    @staff_required
    @blp.response(200, content_type="application/pdf")
    def get(self, community_id, poll_id):
        """The printable result sheet, with the four ratios and the verdict."""
        poll = get_poll(community_id, poll_id)
        results.require_visible(poll, current_user)
        return Response(export.result_pdf(results.count(poll)), mimetype="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="poll-{poll.id}.pdf"'})

