from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.common.permissions import is_staff_of, member_required, public, staff_required
from backend.extensions import limiter
from backend.guide import schemas as s
from backend.guide import services, transfer
from backend.guide.models import GuideCategory, GuideItem
from backend.places.services import get_community, get_in_community

blp = Blueprint("guide", __name__, url_prefix="/api/v1/communities/<int:community_id>/guide",
                description="The service guide (办事指南)")


@blp.route("/categories")
class Categories(MethodView):
    @public
    @blp.response(200, s.GuideCategorySchema(many=True))
    def get(self, community_id):
        """Categories with how many published items each has (public)."""
        get_community(community_id)
        return services.list_categories(community_id, include_drafts=is_staff_of(community_id))

    @staff_required
    @blp.arguments(s.CategoryArgsSchema)
    @blp.response(201, s.GuideCategorySchema)
    def post(self, args, community_id):
        """Add a category at the end."""
        return services.save_category(community_id, **args)


@blp.route("/categories/order")
class CategoryOrder(MethodView):
    @staff_required
    @blp.arguments(s.OrderArgsSchema)
    @blp.response(200, s.GuideCategorySchema(many=True))
    def put(self, args, community_id):
        """Put the categories in this order (every id once)."""
        return services.reorder_categories(community_id, args["ids"])


@blp.route("/categories/<int:category_id>")
class CategoryById(MethodView):
    @staff_required
    @blp.arguments(s.CategoryArgsSchema)
    @blp.response(200, s.GuideCategorySchema)
    def put(self, args, community_id, category_id):
        """Rename a category or change its icon."""
        category = get_in_community(GuideCategory, community_id, category_id)
        return services.save_category(community_id, category=category, **args)

    @staff_required
    @blp.response(204)
    def delete(self, community_id, category_id):
        """Remove an empty category."""
        services.delete_category(get_in_community(GuideCategory, community_id, category_id))


@blp.route("/categories/<int:category_id>/order")
class ItemOrder(MethodView):
    @staff_required
    @blp.arguments(s.OrderArgsSchema)
    @blp.response(200, s.ItemBriefSchema(many=True))
    def put(self, args, community_id, category_id):
        """Put the category's items in this order (every id once)."""
        category = get_in_community(GuideCategory, community_id, category_id)
        return services.reorder_items(category, args["ids"])


@blp.route("/items")
class Items(MethodView):
    decorators = [limiter.limit("120 per minute", methods=["GET"])]

    @public
    @blp.arguments(s.ItemQueryArgsSchema, location="query")
    @blp.response(200, s.ItemBriefSchema(many=True))
    def get(self, args, community_id):
        """Published items, by category (public; staff may ask for drafts)."""
        get_community(community_id)
        status = args["status"] if is_staff_of(community_id) else "published"
        return services.list_items(community_id, args.get("category_id"), status)

    @staff_required
    @blp.arguments(s.ItemArgsSchema)
    @blp.response(201, s.ItemSchema)
    def post(self, args, community_id):
        """Write a new item (a draft unless `published` is true)."""
        return services.save_item(community_id, **args)


@blp.route("/items/<int:item_id>")
class ItemById(MethodView):
    @public
    @blp.response(200, s.ItemSchema)
    def get(self, community_id, item_id):
        """A published item in full (public; staff also see drafts)."""
        return services.get_item(community_id, item_id, include_drafts=is_staff_of(community_id))

    @staff_required
    @blp.arguments(s.ItemArgsSchema)
    @blp.response(200, s.ItemSchema)
    def put(self, args, community_id, item_id):
        """Rewrite an item."""
        item = get_in_community(GuideItem, community_id, item_id)
        return services.save_item(community_id, item=item, **args)

    @staff_required
    @blp.response(204)
    def delete(self, community_id, item_id):
        """Remove an item."""
        services.delete_item(get_in_community(GuideItem, community_id, item_id))


@blp.route("/items/<int:item_id>/publish")
class Publish(MethodView):
    @staff_required
    @blp.response(200, s.ItemSchema)
    def post(self, community_id, item_id):
        """Publish an item."""
        return services.set_published(get_in_community(GuideItem, community_id, item_id), True)


@blp.route("/items/<int:item_id>/unpublish")
class Unpublish(MethodView):
    @staff_required
    @blp.response(200, s.ItemSchema)
    def post(self, community_id, item_id):
        """Take an item back to draft."""
        return services.set_published(get_in_community(GuideItem, community_id, item_id), False)


@blp.route("/items/<int:item_id>/feedback")
class Feedback(MethodView):
    @staff_required
    @blp.response(200, s.FeedbackSummarySchema)
    def get(self, community_id, item_id):
        """Helpful counts and residents' comments."""
        return services.feedback_summary(get_in_community(GuideItem, community_id, item_id))

    @member_required
    @blp.arguments(s.FeedbackArgsSchema)
    @blp.response(200, s.ItemSchema)
    def post(self, args, community_id, item_id):
        """Say whether the item helped, optionally why; saying again replaces it."""
        item = services.get_item(community_id, item_id)
        return services.give_feedback(item, current_user.id, **args)


@blp.route("/export")
class Export(MethodView):
    @staff_required
    @blp.response(200, s.GuideFileSchema)
    def get(self, community_id):
        """The whole guide as a JSON file, drafts included."""
        return transfer.export_guide(community_id)


@blp.route("/import")
class Import(MethodView):
    @staff_required
    @blp.arguments(s.GuideFileSchema)
    @blp.response(200, s.GuideImportResultSchema)
    def post(self, args, community_id):
        """Merge a guide file: categories by name, items by title; all or nothing."""
        return transfer.import_guide(community_id, **args)
