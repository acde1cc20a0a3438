"""Search logs: the hit a resident opened, staff's list of searches that failed, and the fixes for them."""
from flask.views import MethodView

from backend.common.permissions import public, staff_required
from backend.extensions import limiter
from backend.places.services import get_community
from backend.search import logs
from backend.search import schemas_logs as s
from backend.search.closest import closest_categories
from backend.search.routes import blp
from backend.search.schemas import SynonymSchema


@blp.route("/opened")
class Opened(MethodView):
    decorators = [limiter.limit("120 per minute")]

    @public
    @blp.arguments(s.OpenedArgsSchema)
    @blp.response(204)
    def post(self, args, community_id):
        """Say which hit of a search was opened (public; the search's X-Search-Log token)."""
        logs.mark_opened(community_id, args["log"], args["kind"], args["id"])


@blp.route("/closest")
class Closest(MethodView):
    decorators = [limiter.limit("120 per minute")]

    @public
    @blp.arguments(s.ClosestArgsSchema, location="query")
    @blp.response(200, s.ClosestCategorySchema(many=True))
    def get(self, args, community_id):
        """Guide categories closest to a query, to offer when it found nothing (public)."""
        get_community(community_id)
        return closest_categories(community_id, args["q"])


@blp.route("/misses")
class Misses(MethodView):
    @staff_required
    @blp.arguments(s.MissArgsSchema, location="query")
    @blp.response(200, s.MissSchema(many=True))
    def get(self, args, community_id):
        """The most frequent recent searches that found nothing or whose hits nobody opened."""
        return logs.misses(community_id, args["days"])


@blp.route("/misses/alias")
class MissAsAlias(MethodView):
    @staff_required
    @blp.arguments(s.AliasArgsSchema)
    @blp.response(200, s.AliasedItemSchema)
    def post(self, args, community_id):
        """Add a searched phrase to a guide item's aliases; the next identical search finds the item."""
        return logs.add_alias(community_id, args["query"], args["item_id"])


@blp.route("/misses/synonym")
class MissAsSynonym(MethodView):
    @staff_required
    @blp.arguments(s.TermArgsSchema)
    @blp.response(200, SynonymSchema)
    def post(self, args, community_id):
        """Make a searched phrase a synonym of a word (joins that word's synonym group, or starts one)."""
        return logs.add_to_synonyms(community_id, args["query"], args["term"])


@blp.route("/misses/dismiss")
class MissDismiss(MethodView):
    @staff_required
    @blp.arguments(s.DismissArgsSchema)
    @blp.response(204)
    def post(self, args, community_id):
        """Take a phrase off the list without a fix (a typing slip, say)."""
        logs.dismiss(community_id, args["query"])
