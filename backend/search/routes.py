from flask.views import MethodView
from flask_smorest import Blueprint

from backend.common.permissions import is_staff_of, public, staff_required
from backend.extensions import limiter
from backend.places.services import get_community
from backend.search import logs, services, synonyms
from backend.search import schemas as s

blp = Blueprint("search", __name__, url_prefix="/api/v1/communities/<int:community_id>/search",
                description="Search across the guide and facilities")


def _kinds(args) -> tuple[str, ...]:
    return (args["kind"],) if args.get("kind") else s.KINDS


@blp.route("")
class Search(MethodView):
    decorators = [limiter.limit("120 per minute")]

    @public
    @blp.arguments(s.SearchArgsSchema, location="query")
    @blp.response(200, s.HitSchema(many=True), headers={logs.HEADER: {
        "description": "The search's token for /opened (first pages only).", "schema": {"type": "string"}}})
    def get(self, args, community_id):
        """Search the published guide and the facilities (public; staff also find drafts).

        A first page is logged (no user, see search/logs.py); the X-Search-Log header carries the token
        to send to /opened when a hit is opened.
        """
        get_community(community_id)
        hits = services.search(community_id, args["q"], _kinds(args), is_staff_of(community_id),
                               args["limit"], args["offset"])
        token = logs.record(community_id, args["q"], len(hits)) if args["offset"] == 0 else None
        return hits, ({logs.HEADER: token} if token else {})


@blp.route("/suggest")
class Suggest(MethodView):
    decorators = [limiter.limit("300 per minute")]

    @public
    @blp.arguments(s.SuggestArgsSchema, location="query")
    @blp.response(200, s.SuggestionSchema(many=True))
    def get(self, args, community_id):
        """As-you-type suggestions from titles and tags (public)."""
        get_community(community_id)
        return services.suggest(community_id, args["q"], _kinds(args), is_staff_of(community_id))


@blp.route("/synonyms")
class Synonyms(MethodView):
    @staff_required
    @blp.response(200, s.SynonymSchema(many=True))
    def get(self, community_id):
        """Synonym groups search expands queries with."""
        return synonyms.list_synonyms(community_id)

    @staff_required
    @blp.arguments(s.SynonymArgsSchema)
    @blp.response(201, s.SynonymSchema)
    def post(self, args, community_id):
        """Add a synonym group, such as 低保 and 最低生活保障."""
        return synonyms.save_synonyms(community_id, **args)


@blp.route("/synonyms/<int:group_id>")
class SynonymById(MethodView):
    @staff_required
    @blp.arguments(s.SynonymArgsSchema)
    @blp.response(200, s.SynonymSchema)
    def put(self, args, community_id, group_id):
        """Change a synonym group's words."""
        return synonyms.save_synonyms(community_id, group=synonyms.get_synonyms(community_id, group_id), **args)

    @staff_required
    @blp.response(204)
    def delete(self, community_id, group_id):
        """Remove a synonym group."""
        synonyms.delete_synonyms(synonyms.get_synonyms(community_id, group_id))


from backend.search import routes_logs  # noqa: E402, F401  (the search log routes, on this blueprint)
