from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.common.permissions import member_required, staff_required
from backend.points import ledger
from backend.volunteering import activities, hours, registry
from backend.volunteering import schemas as s
from backend.volunteering.models import VolunteerSkill, VolunteerTeam

blp = Blueprint("volunteering", __name__, url_prefix="/api/v1/communities/<int:community_id>/volunteering",
                description="Volunteers (志愿服务): registration, activities with sign-ups, attendance and hours")


def _me(community_id: int) -> dict:
    volunteer = registry.mine(community_id, current_user.id)
    return {"volunteer": volunteer, "verified": registry.is_verified(community_id, current_user.id),
            "hours_this_year": hours.hours(hours.year_minutes(community_id, volunteer and volunteer.id)),
            "points": ledger.balance(community_id, current_user.id)}


@blp.route("/me")
class Me(MethodView):
    @member_required
    @blp.response(200, s.VolunteerMeSchema)
    def get(self, community_id):
        """My volunteer registration (null if none), my approved hours this year and my points."""
        return _me(community_id)

    @member_required
    @blp.arguments(s.VolunteerRegisterArgsSchema)
    @blp.response(200, s.VolunteerSchema)
    def put(self, args, community_id):
        """Change my skills, teams, availability, emergency contact and board consent."""
        return registry.edit(community_id, current_user, **args)


@blp.route("/register")
class Register(MethodView):
    @member_required
    @blp.arguments(s.VolunteerRegisterArgsSchema)
    @blp.response(201, s.VolunteerSchema)
    def post(self, args, community_id):
        """Register as a volunteer (verified residents only); staff then approve or reject."""
        return registry.register(community_id, current_user, **args)


@blp.route("/me/withdraw")
class Withdraw(MethodView):
    @member_required
    @blp.response(200, s.VolunteerSchema)
    def post(self, community_id):
        """Stop being a volunteer (registering again starts a new approval)."""
        return activities.withdraw(community_id, current_user)


def _rows_view(model, schema, args_schema, what: str):
    class Rows(MethodView):
        @member_required
        @blp.response(200, schema(many=True))
        def get(self, community_id):
            return registry.list_rows(model, community_id)

        @staff_required
        @blp.arguments(args_schema)
        @blp.response(201, schema)
        def post(self, args, community_id):
            return registry.save_row(model, community_id, **args)

    class RowById(MethodView):
        @staff_required
        @blp.arguments(args_schema)
        @blp.response(200, schema)
        def put(self, args, community_id, row_id):
            return registry.save_row(model, community_id, row_id, **args)

        @staff_required
        @blp.response(204)
        def delete(self, community_id, row_id):
            registry.delete_row(model, community_id, row_id)

    Rows.get.__doc__, Rows.post.__doc__ = f"The community's volunteer {what}.", f"Add a {what[:-1]}."
    RowById.put.__doc__, RowById.delete.__doc__ = f"Rename a {what[:-1]}.", f"Remove a {what[:-1]}."
    Rows.__name__, RowById.__name__ = f"{what.title()}", f"{what.title()}ById"
    return Rows, RowById


for _model, _schema, _args, _what in (
        (VolunteerSkill, s.VolunteerSkillSchema, s.VolunteerSkillArgsSchema, "skills"),
        (VolunteerTeam, s.VolunteerTeamSchema, s.VolunteerTeamArgsSchema, "teams")):
    _rows, _by_id = _rows_view(_model, _schema, _args, _what)
    blp.route(f"/{_what}")(_rows)
    blp.route(f"/{_what}/<int:row_id>")(_by_id)


@blp.route("/registrations")
class Registrations(MethodView):
    @staff_required
    @blp.arguments(s.RegistrationArgsSchema, location="query")
    @blp.response(200, s.RegistrationPageSchema)
    def get(self, args, community_id):
        """Registrations, oldest first (filter by status, e.g. pending)."""
        return registry.registrations(community_id, **args)


@blp.route("/registrations/<int:volunteer_id>/approve")
class Approve(MethodView):
    @staff_required
    @blp.response(200, s.VolunteerSchema)
    def post(self, community_id, volunteer_id):
        """Approve a pending registration."""
        return registry.decide(community_id, volunteer_id, current_user, "approved")


@blp.route("/registrations/<int:volunteer_id>/reject")
class Reject(MethodView):
    @staff_required
    @blp.arguments(s.VolunteerReasonArgsSchema)
    @blp.response(200, s.VolunteerSchema)
    def post(self, args, community_id, volunteer_id):
        """Reject a pending registration, saying why."""
        return registry.decide(community_id, volunteer_id, current_user, "rejected", args["reason"])


@blp.route("/volunteers")
class Volunteers(MethodView):
    @staff_required
    @blp.arguments(s.VolunteersArgsSchema, location="query")
    @blp.response(200, s.VolunteerRowPageSchema)
    def get(self, args, community_id):
        """Approved volunteers with their hours this year and points."""
        result = registry.volunteers(community_id, **args)
        start, end = hours.year_bounds(community_id, hours.this_year(community_id))
        sums = hours.totals(community_id, start, end, [v.id for v in result["items"]])
        points = ledger.balances(community_id, [v.user_id for v in result["items"]])
        for volunteer in result["items"]:
            volunteer.hours_this_year = hours.hours(sums.get(volunteer.id, (0, 0, 0))[0])
            volunteer.points = points.get(volunteer.user_id, 0)
        return result


@blp.route("/activities")
class Activities(MethodView):
    @member_required
    @blp.arguments(s.ActivitiesArgsSchema, location="query")
    @blp.response(200, s.ActivitySchema(many=True))
    def get(self, args, community_id):
        """Upcoming, past, or my activities; drafts for staff only."""
        return activities.list_activities(community_id, current_user, args["scope"])

    @staff_required
    @blp.arguments(s.ActivityArgsSchema)
    @blp.response(201, s.ActivitySchema)
    def post(self, args, community_id):
        """Create an activity as a draft."""
        return activities.save_activity(community_id, current_user, **args)


@blp.route("/activities/<int:activity_id>")
class ActivityById(MethodView):
    @member_required
    @blp.response(200, s.ActivitySchema)
    def get(self, community_id, activity_id):
        """One activity with my sign-up and attendance."""
        return activities.present([activities.get_activity(community_id, activity_id, current_user)],
                                  current_user)[0]

    @staff_required
    @blp.arguments(s.ActivityArgsSchema)
    @blp.response(200, s.ActivitySchema)
    def put(self, args, community_id, activity_id):
        """Change an activity (places never below the confirmed sign-ups; more places promote the waitlist)."""
        return activities.save_activity(community_id, current_user, activity_id, **args)


@blp.route("/activities/<int:activity_id>/publish")
class Publish(MethodView):
    @staff_required
    @blp.response(200, s.ActivitySchema)
    def post(self, community_id, activity_id):
        """Open a draft for sign-up."""
        return activities.publish(community_id, activity_id, current_user)


@blp.route("/activities/<int:activity_id>/cancel")
class Cancel(MethodView):
    @staff_required
    @blp.arguments(s.CancelActivityArgsSchema)
    @blp.response(200, s.ActivitySchema)
    def post(self, args, community_id, activity_id):
        """Cancel an activity; everyone signed up gets a push."""
        return activities.cancel(community_id, activity_id, current_user, args["reason"])


@blp.route("/activities/<int:activity_id>/signup")
class SignUp(MethodView):
    @member_required
    @blp.response(201, s.VolunteerSignupSchema)
    def post(self, community_id, activity_id):
        """Sign up: a confirmed place while places are left, else the waitlist."""
        return activities.signup(community_id, activity_id, current_user)


@blp.route("/activities/<int:activity_id>/signup/cancel")
class CancelSignUp(MethodView):
    @member_required
    @blp.response(200, s.VolunteerSignupSchema)
    def post(self, community_id, activity_id):
        """Cancel my sign-up (before the cut-off); the first on the waitlist moves up."""
        return activities.cancel_signup(community_id, activity_id, current_user)


@blp.route("/activities/<int:activity_id>/signups")
class Sheet(MethodView):
    @staff_required
    @blp.response(200, s.SheetRowSchema(many=True))
    def get(self, community_id, activity_id):
        """The attendance sheet: sign-ups in order with their check-in, check-out and hours."""
        return activities.sheet(community_id, activity_id)
