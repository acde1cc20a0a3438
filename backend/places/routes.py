from flask.views import MethodView
from flask_smorest import Blueprint

from backend.common.permissions import admin_required, public, staff_required
from backend.extensions import limiter
from backend.places import importer, services, workbench
from backend.places import schemas as s
from backend.places.models import Building, Dwelling, Grid
from backend.places.services import get_in_community

blp = Blueprint("places", __name__, url_prefix="/api/v1", description="Communities and their places")


@blp.route("/communities")
class Communities(MethodView):
    @public
    @blp.response(200, s.CommunitySchema(many=True))
    def get(self):
        """All communities, for choosing one when registering."""
        return services.list_communities()

    @admin_required
    @blp.arguments(s.CommunityArgsSchema)
    @blp.response(201, s.CommunitySchema)
    def post(self, args):
        """Create a community (administrators)."""
        return services.create_community(**args)


@blp.route("/communities/<int:community_id>")
class CommunityById(MethodView):
    @admin_required
    @blp.arguments(s.CommunityArgsSchema)
    @blp.response(200, s.CommunitySchema)
    def put(self, args, community_id):
        """Correct a community's name, district, street or time zone (administrators)."""
        return services.update_community(services.get_community(community_id), **args)


@blp.route("/communities/<int:community_id>/workbench")
class Workbench(MethodView):
    @staff_required
    @blp.response(200, s.WorkbenchSchema)
    def get(self, community_id):
        """My to-do counts: residents, volunteers, hours, bookings and questions waiting; recent notices read."""
        return workbench.workbench(community_id)


@blp.route("/communities/<int:community_id>/buildings")
class Buildings(MethodView):
    decorators = [limiter.limit("120 per minute", methods=["GET"])]

    @public
    @blp.response(200, s.BuildingSchema(many=True))
    def get(self, community_id):
        """The community's buildings, for the dwelling picker when registering."""
        services.get_community(community_id)
        return services.list_buildings(community_id)

    @staff_required
    @blp.arguments(s.BuildingArgsSchema)
    @blp.response(201, s.BuildingSchema)
    def post(self, args, community_id):
        """Add a building."""
        return services.save_building(community_id, **args)


@blp.route("/communities/<int:community_id>/buildings/<int:building_id>")
class BuildingById(MethodView):
    @staff_required
    @blp.arguments(s.BuildingArgsSchema)
    @blp.response(200, s.BuildingSchema)
    def put(self, args, community_id, building_id):
        """Rename a building or move it to another grid."""
        building = get_in_community(Building, community_id, building_id)
        return services.save_building(community_id, building=building, **args)

    @staff_required
    @blp.response(204)
    def delete(self, community_id, building_id):
        """Remove a building that has no dwellings."""
        services.delete_row(get_in_community(Building, community_id, building_id))


@blp.route("/communities/<int:community_id>/buildings/<int:building_id>/dwellings")
class BuildingDwellings(MethodView):
    decorators = [limiter.limit("120 per minute")]

    @public
    @blp.response(200, s.PublicDwellingSchema(many=True))
    def get(self, community_id, building_id):
        """The building's dwellings (labels only), for the dwelling picker."""
        get_in_community(Building, community_id, building_id)
        return services.list_dwellings(community_id, building_id)


@blp.route("/communities/<int:community_id>/staff")
class Staff(MethodView):
    @staff_required
    @blp.response(200, s.StaffMemberSchema(many=True))
    def get(self, community_id):
        """The community's staff, for assigning grid workers."""
        return services.list_staff(community_id)


@blp.route("/communities/<int:community_id>/grids")
class Grids(MethodView):
    @staff_required
    @blp.response(200, s.GridSchema(many=True))
    def get(self, community_id):
        """The community's grids and their grid workers."""
        return services.list_grids(community_id)

    @staff_required
    @blp.arguments(s.GridArgsSchema)
    @blp.response(201, s.GridSchema)
    def post(self, args, community_id):
        """Add a grid."""
        return services.save_grid(community_id, **args)


@blp.route("/communities/<int:community_id>/grids/<int:grid_id>")
class GridById(MethodView):
    @staff_required
    @blp.arguments(s.GridArgsSchema)
    @blp.response(200, s.GridSchema)
    def put(self, args, community_id, grid_id):
        """Rename a grid."""
        return services.save_grid(community_id, grid=get_in_community(Grid, community_id, grid_id), **args)

    @staff_required
    @blp.response(204)
    def delete(self, community_id, grid_id):
        """Remove a grid; its buildings keep standing, without a grid."""
        services.delete_row(get_in_community(Grid, community_id, grid_id))


@blp.route("/communities/<int:community_id>/grids/<int:grid_id>/workers")
class GridWorkers(MethodView):
    @staff_required
    @blp.arguments(s.GridWorkersArgsSchema)
    @blp.response(200, s.GridSchema)
    def put(self, args, community_id, grid_id):
        """Assign the grid's workers (staff of this community)."""
        return services.set_grid_workers(get_in_community(Grid, community_id, grid_id), **args)


@blp.route("/communities/<int:community_id>/dwellings")
class Dwellings(MethodView):
    @staff_required
    @blp.arguments(s.DwellingQueryArgsSchema, location="query")
    @blp.response(200, s.StaffDwellingPageSchema)
    def get(self, args, community_id):
        """Dwellings with floor areas and registered owners, a page at a time."""
        return services.page_dwellings(community_id, **args)

    @staff_required
    @blp.arguments(s.DwellingArgsSchema)
    @blp.response(201, s.StaffDwellingSchema)
    def post(self, args, community_id):
        """Add a dwelling."""
        return services.save_dwelling(community_id, **args)


@blp.route("/communities/<int:community_id>/dwellings/<int:dwelling_id>")
class DwellingById(MethodView):
    @staff_required
    @blp.arguments(s.DwellingArgsSchema)
    @blp.response(200, s.StaffDwellingSchema)
    def put(self, args, community_id, dwelling_id):
        """Correct a dwelling's place or floor area."""
        dwelling = get_in_community(Dwelling, community_id, dwelling_id)
        return services.save_dwelling(community_id, dwelling=dwelling, **args)


@blp.route("/communities/<int:community_id>/dwellings/import")
class DwellingImport(MethodView):
    @staff_required
    @blp.arguments(s.ImportFileSchema, location="files")
    @blp.response(200, s.ImportResultSchema)
    def post(self, args, community_id):
        """Import dwellings from CSV: grid,building,unit,room,floor_area,owner_phone."""
        return importer.import_dwellings(community_id, args["file"].read())
