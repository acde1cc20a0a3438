"""The staff's side of points: awards, the ledger, reversals, partners, settings and the CSV."""
from flask import Response
from flask.views import MethodView
from flask_login import current_user

from backend.common.permissions import staff_required
from backend.points import books, clock, export, partners, settings
from backend.points import schemas as s
from backend.points.idempotency import request_key
from backend.points.routes import IDEMPOTENT, blp


@blp.route("/awards")
class Awards(MethodView):
    @staff_required
    @blp.arguments(s.AwardArgsSchema)
    @blp.response(201, s.PointTransactionSchema)
    @blp.doc(**IDEMPOTENT)
    def post(self, args, community_id):
        """Award points by hand, with the reason (垃圾分类好, for instance)."""
        key, digest = request_key(args)
        return books.award(community_id, current_user, args["user_id"], args["amount"], args["reason"],
                           key=key, request_hash=digest)


@blp.route("/transactions")
class Transactions(MethodView):
    @staff_required
    @blp.arguments(s.PointTransactionArgsSchema, location="query")
    @blp.response(200, s.PointTransactionPageSchema)
    def get(self, args, community_id):
        """The ledger, newest first; by person or kind."""
        return books.transactions(community_id, **args)


@blp.route("/transactions/<int:transaction_id>/reverse")
class Reverse(MethodView):
    @staff_required
    @blp.arguments(s.ReverseArgsSchema)
    @blp.response(201, s.PointTransactionSchema)
    @blp.doc(**IDEMPOTENT)
    def post(self, args, community_id, transaction_id):
        """Undo an award with a reversing transaction (409 if the points were spent meanwhile)."""
        key, digest = request_key(args)
        return books.reverse(community_id, current_user, transaction_id, args["reason"], key=key,
                             request_hash=digest)


@blp.route("/partners")
class Partners(MethodView):
    @staff_required
    @blp.response(200, s.PartnerSchema(many=True))
    def get(self, community_id):
        """The love supermarket's partners and who acts for each."""
        return partners.partners(community_id)

    @staff_required
    @blp.arguments(s.PartnerArgsSchema)
    @blp.response(201, s.PartnerSchema)
    def post(self, args, community_id):
        """Add a partner (a shop or a service)."""
        return partners.create(community_id, **args)


@blp.route("/partners/<int:partner_id>")
class PartnerById(MethodView):
    @staff_required
    @blp.arguments(s.PartnerUpdateArgsSchema)
    @blp.response(200, s.PartnerSchema)
    def put(self, args, community_id, partner_id):
        """Change a partner; inactive partners' members lose the partner desk."""
        return partners.update(community_id, partner_id, **args)


@blp.route("/partners/<int:partner_id>/members")
class PartnerMembers(MethodView):
    @staff_required
    @blp.arguments(s.PartnerMemberArgsSchema)
    @blp.response(200, s.PartnerSchema)
    def post(self, args, community_id, partner_id):
        """Link a member of the community, by phone, to act for the partner."""
        return partners.add_member(community_id, partner_id, args["phone"])


@blp.route("/partners/<int:partner_id>/members/<int:user_id>")
class PartnerMember(MethodView):
    @staff_required
    @blp.response(204)
    def delete(self, community_id, partner_id, user_id):
        """Unlink a person from the partner."""
        partners.remove_member(community_id, partner_id, user_id)


@blp.route("/settings")
class Settings(MethodView):
    @staff_required
    @blp.response(200, s.PointsSettingsSchema)
    def get(self, community_id):
        """Yearly expiry on or off, and how many days a redemption waits for pickup."""
        return settings.get_settings(community_id)

    @staff_required
    @blp.arguments(s.PointsSettingsSchema)
    @blp.response(200, s.PointsSettingsSchema)
    def put(self, args, community_id):
        """Change the points settings."""
        return settings.save_settings(community_id, **args)


@blp.route("/export/points.csv")
class ExportPoints(MethodView):
    @staff_required
    @blp.arguments(s.PointsYearArgsSchema, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, args, community_id):
        """Per resident: earned, spent and expired in the year, and the balance now (UTF-8 with BOM)."""
        year = args.get("year") or clock.local_now(community_id).year
        return Response(export.points_csv(community_id, year), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="points-{year}.csv"'})
