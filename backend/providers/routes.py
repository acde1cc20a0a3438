from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.common.permissions import is_staff_of, member_required, staff_required
from backend.providers import ratings, services
from backend.providers import schemas as s

blp = Blueprint("providers", __name__, url_prefix="/api/v1/communities/<int:community_id>/providers",
                description="Convenience services (便民服务): providers by category and distance, verified, rated")


@blp.route("/")
class Providers(MethodView):
    @member_required
    @blp.arguments(s.ProviderQueryArgsSchema, location="query")
    @blp.response(200, s.ProviderSchema(many=True))
    def get(self, args, community_id):
        """Verified providers by category, text and distance (staff: all, or by status)."""
        return services.list_providers(community_id, is_staff_of(community_id), **args)

    @staff_required
    @blp.arguments(s.ProviderArgsSchema)
    @blp.response(201, s.ProviderSchema)
    def post(self, args, community_id):
        """Add a provider with its services (pending until verified)."""
        return services.save_provider(community_id, current_user, **args)


@blp.route("/categories")
class Categories(MethodView):
    @member_required
    @blp.response(200, s.ProviderCategoryCountSchema(many=True))
    def get(self, community_id):
        """How many verified providers each category has."""
        return services.category_counts(community_id)


@blp.route("/<int:provider_id>")
class ProviderById(MethodView):
    @member_required
    @blp.response(200, s.ProviderSchema)
    def get(self, community_id, provider_id):
        """One provider with its services, hours and rating."""
        return services.show_provider(community_id, provider_id, is_staff_of(community_id))

    @staff_required
    @blp.arguments(s.ProviderArgsSchema)
    @blp.response(200, s.ProviderSchema)
    def put(self, args, community_id, provider_id):
        """Change a provider; its services list is replaced (services given with their id are kept)."""
        provider = services.get_provider(community_id, provider_id, staff=True)
        return services.save_provider(community_id, current_user, provider, **args)


@blp.route("/<int:provider_id>/verify")
class Verify(MethodView):
    @staff_required
    @blp.response(200, s.ProviderSchema)
    def post(self, community_id, provider_id):
        """Verify a provider against its licence photo: residents then see it."""
        return services.verify(services.get_provider(community_id, provider_id, staff=True), current_user)


@blp.route("/<int:provider_id>/suspend")
class Suspend(MethodView):
    @staff_required
    @blp.arguments(s.ProviderReasonArgsSchema)
    @blp.response(200, s.ProviderSchema)
    def post(self, args, community_id, provider_id):
        """Suspend a provider, with the reason: residents no longer see it."""
        return services.suspend(services.get_provider(community_id, provider_id, staff=True), args["reason"])


@blp.route("/<int:provider_id>/ratings")
class Ratings(MethodView):
    @member_required
    @blp.arguments(s.ProviderRatingPageArgsSchema, location="query")
    @blp.response(200, s.ProviderRatingPageSchema)
    def get(self, args, community_id, provider_id):
        """A provider's ratings, newest first (hidden ones only for staff and their author)."""
        return ratings.list_ratings(community_id, provider_id, current_user, is_staff_of(community_id), **args)

    @member_required
    @blp.arguments(s.ProviderRatingArgsSchema)
    @blp.response(201, s.ProviderRatingSchema)
    def post(self, args, community_id, provider_id):
        """Rate a provider: once per household per month (verified residents)."""
        return ratings.rate(community_id, provider_id, current_user, **args)


@blp.route("/<int:provider_id>/ratings/mine")
class MyRating(MethodView):
    @member_required
    @blp.arguments(s.ProviderRatingArgsSchema)
    @blp.response(200, s.ProviderRatingSchema)
    def put(self, args, community_id, provider_id):
        """Change my household's rating of this month."""
        return ratings.edit_mine(community_id, provider_id, current_user, **args)


@blp.route("/ratings/<int:rating_id>/hide")
class HideRating(MethodView):
    @staff_required
    @blp.arguments(s.ProviderReasonArgsSchema)
    @blp.response(200, s.ProviderRatingSchema)
    def post(self, args, community_id, rating_id):
        """Hide an abusive rating, with the reason (its author still sees it, marked hidden)."""
        return ratings.set_hidden(community_id, rating_id, current_user, True, args["reason"])


@blp.route("/ratings/<int:rating_id>/unhide")
class UnhideRating(MethodView):
    @staff_required
    @blp.response(200, s.ProviderRatingSchema)
    def post(self, community_id, rating_id):
        """Show a hidden rating again."""
        return ratings.set_hidden(community_id, rating_id, current_user, False)
