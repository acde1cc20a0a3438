from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.common.pagination import PageArgsSchema, paginate
from backend.common.permissions import member_required, staff_required
from backend.extensions import limiter
from backend.points import books, catalog, market, partners
from backend.points import schemas as s
from backend.points.idempotency import request_key

blp = Blueprint("points", __name__, url_prefix="/api/v1/communities/<int:community_id>/points",
                description="Points (积分): the ledger, manual awards, and the love supermarket (爱心超市)")

IDEMPOTENT = {"parameters": [{"in": "header", "name": "Idempotency-Key", "required": True,
                              "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
                              "description": "A retry with the same key and body gets the first answer."}]}


@blp.route("/me")
class Me(MethodView):
    @member_required
    @blp.response(200, s.PointsMeSchema)
    def get(self, community_id):
        """My points: spendable, held by reserved redemptions, earned this year, and what expires soon."""
        return books.me(community_id, current_user)


@blp.route("/me/transactions")
class MyTransactions(MethodView):
    @member_required
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, s.MyPointEntryPageSchema)
    def get(self, args, community_id):
        """My points history, newest first, with the balance after each."""
        return books.my_transactions(community_id, current_user, **args)


@blp.route("/catalog")
class Catalog(MethodView):
    @member_required
    @blp.arguments(s.CatalogQueryArgsSchema, location="query")
    @blp.response(200, s.CatalogItemSchema(many=True))
    def get(self, args, community_id):
        """The love supermarket's active goods and services, with how many I took this month."""
        return catalog.catalog(community_id, current_user, args.get("kind"), args["all"])

    @staff_required
    @blp.arguments(s.CatalogItemArgsSchema)
    @blp.response(201, s.CatalogItemSchema)
    def post(self, args, community_id):
        """Add goods (with a stock count) or a service (perhaps a partner's)."""
        return catalog.create_item(community_id, current_user, **args)


@blp.route("/catalog/<int:item_id>")
class CatalogItemView(MethodView):
    @member_required
    @blp.response(200, s.CatalogItemSchema)
    def get(self, community_id, item_id):
        """One item (staff also see inactive ones)."""
        item = catalog.get_item(community_id, item_id, active_only=not catalog.is_staff(current_user, community_id))
        item.my_month_count = catalog.month_counts(community_id, current_user.id).get(item.id, 0)
        return item

    @staff_required
    @blp.arguments(s.CatalogItemUpdateArgsSchema)
    @blp.response(200, s.CatalogItemSchema)
    def put(self, args, community_id, item_id):
        """Change an item; its stock changes by POST .../stock."""
        return catalog.update_item(community_id, item_id, current_user, **args)

    @staff_required
    @blp.response(204)
    def delete(self, community_id, item_id):
        """Take the item off the shelves (redemptions of it stay as they were)."""
        catalog.deactivate_item(community_id, item_id)


@blp.route("/catalog/<int:item_id>/stock")
class Stock(MethodView):
    @staff_required
    @blp.arguments(s.StockChangeArgsSchema)
    @blp.response(200, s.CatalogItemSchema)
    def post(self, args, community_id, item_id):
        """Restock or correct the count (409 if it would go below zero)."""
        return catalog.change_stock(community_id, item_id, current_user, **args)


@blp.route("/redemptions")
class Redemptions(MethodView):
    @member_required
    @blp.arguments(s.RedeemArgsSchema)
    @blp.response(201, s.RedemptionSchema)
    @blp.doc(**IDEMPOTENT)
    def post(self, args, community_id):
        """Redeem: my points are held and the stock taken until pickup; gives a pickup code."""
        key, digest = request_key(args)
        return market.redeem(community_id, current_user, args["item_id"], args["quantity"], key=key,
                             request_hash=digest)

    @member_required
    @blp.arguments(s.RedemptionListArgsSchema, location="query")
    @blp.response(200, s.RedemptionPageSchema)
    def get(self, args, community_id):
        """Redemptions, newest first: staff see all, a partner's members those of its services."""
        query = market.listing(community_id, current_user, args.get("status"))
        return paginate(query, args["page"], args["per_page"])


@blp.route("/redemptions/mine")
class MyRedemptions(MethodView):
    @member_required
    @blp.response(200, s.RedemptionSchema(many=True))
    def get(self, community_id):
        """My redemptions, newest first (the last 100)."""
        return market.mine(community_id, current_user)


def _desk_key() -> str:
    return f"pickup-lookup:{getattr(current_user, 'id', None)}"


def _desk_misses_key() -> str:
    return f"pickup-lookup-miss:{getattr(current_user, 'id', None)}"


@blp.route("/redemptions/lookup")
class Lookup(MethodView):
    # Per person: a desk serves one customer at a time, and an 8-digit code is not to be guessed.
    decorators = [limiter.limit("30 per minute", key_func=_desk_key, methods=["POST"]),
                  limiter.limit("20 per hour", key_func=_desk_misses_key, methods=["POST"],
                                deduct_when=lambda response: response.status_code == 404,
                                error_message="Too many codes not found. Try again later.")]

    @member_required
    @blp.arguments(s.PickupLookupArgsSchema)
    @blp.response(200, s.RedemptionSchema)
    def post(self, args, community_id):
        """Staff or a partner finds the reserved redemption a pickup code stands for."""
        return market.lookup(community_id, current_user, args["pickup_code"])


@blp.route("/redemptions/<int:redemption_id>/cancel")
class Cancel(MethodView):
    @member_required
    @blp.arguments(s.RedemptionCancelArgsSchema)
    @blp.response(200, s.RedemptionSchema)
    @blp.doc(**IDEMPOTENT)
    def post(self, args, community_id, redemption_id):
        """Cancel a reserved redemption (mine, or any for staff): points and stock come back."""
        key, digest = request_key(args)
        return market.cancel(community_id, redemption_id, current_user, key=key, request_hash=digest,
                             reason=args["reason"])


@blp.route("/redemptions/<int:redemption_id>/handover")
class Handover(MethodView):
    @member_required
    @blp.response(200, s.RedemptionSchema)
    def post(self, community_id, redemption_id):
        """Staff, or a member of the service's partner, hands it over; the held points go on."""
        return market.hand_over(community_id, redemption_id, current_user)


@blp.route("/partner/me")
class MyPartners(MethodView):
    @member_required
    @blp.response(200, s.PartnerPublicSchema(many=True))
    def get(self, community_id):
        """The partners I act for ([] for most people): the PWA shows them a partner desk."""
        return partners.mine(community_id, current_user)

