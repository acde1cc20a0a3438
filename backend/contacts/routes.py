from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.common.pagination import PageArgsSchema
from backend.common.permissions import member_required, staff_required
from backend.contacts import roster, services
from backend.contacts import schemas as s
from backend.contacts.services import get_contact

blp = Blueprint("contacts", __name__, url_prefix="/api/v1/communities/<int:community_id>/contacts",
                description="Staff directory: who handles what, who is on duty, and my grid worker")


@blp.route("")
class Contacts(MethodView):
    @member_required
    @blp.arguments(s.ContactQueryArgsSchema, location="query")
    @blp.response(200, s.ContactListSchema)
    def get(self, args, community_id):
        """The directory: on duty now first, then by position; search by Chinese, pinyin or initials."""
        return services.list_contacts(community_id, **args)


@blp.route("/<int:contact_id>")
class ContactById(MethodView):
    @member_required
    @blp.response(200, s.ContactDetailSchema)
    def get(self, community_id, contact_id):
        """One profile with its weekly hours and the duty days and leave of the next 30 days."""
        return services.get_visible(community_id, contact_id)


@blp.route("/my-grid-workers")
class MyGridWorkers(MethodView):
    @member_required
    @blp.response(200, s.MyGridWorkersSchema)
    def get(self, community_id):
        """Who serves the grids of my verified homes here (网格员)."""
        return services.my_grid_workers(community_id, current_user)


@blp.route("/manage")
class ManagedContacts(MethodView):
    @staff_required
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, s.ManagedContactPageSchema)
    def get(self, args, community_id):
        """Every profile, hidden ones too, with the private mobile."""
        return services.list_for_staff(community_id, **args)

    @staff_required
    @blp.arguments(s.ContactArgsSchema)
    @blp.response(201, s.ManagedContactSchema)
    def post(self, args, community_id):
        """Add a profile to the directory."""
        return services.create_contact(community_id, current_user, **args)


@blp.route("/manage/<int:contact_id>")
class ManagedContactById(MethodView):
    @staff_required
    @blp.arguments(s.ContactUpdateArgsSchema(partial=True))
    @blp.response(200, s.ManagedContactSchema)
    def patch(self, args, community_id, contact_id):
        """Change a profile; `visible: false` hides it from members and search."""
        return services.update_contact(get_contact(community_id, contact_id), current_user, **args)


@blp.route("/manage/<int:contact_id>/roster")
class Roster(MethodView):
    @staff_required
    @blp.response(200, s.RosterSchema)
    def get(self, community_id, contact_id):
        """The weekly spans and the dated exceptions from today on."""
        return roster.get_roster(get_contact(community_id, contact_id), services.community_tz(community_id))

    @staff_required
    @blp.arguments(s.RosterArgsSchema)
    @blp.response(200, s.RosterSchema)
    def put(self, args, community_id, contact_id):
        """Replace the weekly spans and the exceptions from today on."""
        return roster.replace_roster(get_contact(community_id, contact_id), services.community_tz(community_id),
                                     **args)
