from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from backend.common.db import without_transaction
from backend.common.permissions import public, staff_required
from backend.extensions import limiter
from backend.facilities import schemas as s
from backend.facilities import services
from backend.facilities.models import Facility, FacilityType
from backend.places.services import get_community, get_in_community

blp = Blueprint("facilities", __name__, url_prefix="/api/v1/communities/<int:community_id>",
                description="Public facilities: types, hours, open now, near me")


@blp.route("/facility-types")
class FacilityTypes(MethodView):
    @public
    @blp.response(200, s.FacilityTypeSchema(many=True))
    def get(self, community_id):
        """Facility types, in the order staff set (public)."""
        get_community(community_id)
        return services.list_types(community_id)

    @staff_required
    @blp.arguments(s.FacilityTypeArgsSchema)
    @blp.response(201, s.FacilityTypeSchema)
    def post(self, args, community_id):
        """Add a facility type."""
        return services.save_type(community_id, **args)


@blp.route("/facility-types/<int:type_id>")
class FacilityTypeById(MethodView):
    @staff_required
    @blp.arguments(s.FacilityTypeArgsSchema)
    @blp.response(200, s.FacilityTypeSchema)
    def put(self, args, community_id, type_id):
        """Rename, re-icon or reorder a facility type."""
        ftype = get_in_community(FacilityType, community_id, type_id)
        return services.save_type(community_id, ftype=ftype, **args)

    @staff_required
    @blp.response(204)
    def delete(self, community_id, type_id):
        """Remove a facility type no facility uses."""
        services.delete_type(get_in_community(FacilityType, community_id, type_id))


@blp.route("/facilities")
class Facilities(MethodView):
    decorators = [limiter.limit("120 per minute", methods=["GET"])]

    @without_transaction
    @public
    @blp.arguments(s.FacilityQueryArgsSchema(), location="query")  # an instance: a class is made anew each time
    @blp.response(200, s.FacilityBriefSchema(many=True))
    def get(self, args, community_id):
        """Find facilities by text, type, open now, or near a point (public)."""
        return jsonify(services.find_facilities(community_id, **args))  # dumped already, as the schema would

    @staff_required
    @blp.arguments(s.FacilityArgsSchema)
    @blp.response(201, s.FacilitySchema)
    def post(self, args, community_id):
        """Add a facility."""
        return services.save_facility(community_id, **args)


@blp.route("/facilities/<int:facility_id>")
class FacilityById(MethodView):
    @public
    @blp.response(200, s.FacilitySchema)
    def get(self, community_id, facility_id):
        """A facility with today's hours and its next opening (public)."""
        return services.get_facility(community_id, facility_id)

    @staff_required
    @blp.arguments(s.FacilityArgsSchema)
    @blp.response(200, s.FacilitySchema)
    def put(self, args, community_id, facility_id):
        """Change a facility."""
        facility = get_in_community(Facility, community_id, facility_id)
        return services.save_facility(community_id, facility=facility, **args)

    @staff_required
    @blp.response(204)
    def delete(self, community_id, facility_id):
        """Remove a facility."""
        services.delete_facility(get_in_community(Facility, community_id, facility_id))
