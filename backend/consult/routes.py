from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.common.pagination import PageArgsSchema
from backend.common.permissions import member_required, staff_required
from backend.consult import faq, services, settings
from backend.consult import schemas as s
from backend.extensions import limiter

blp = Blueprint("consult", __name__, url_prefix="/api/v1/communities/<int:community_id>/questions",
                description="Questions (咨询) to the community's staff and party members, answered in the app")


def _asker_key() -> str:
    return f"asker:{getattr(current_user, 'id', None)}"


def _question(community_id: int, question_id: int):
    return services.get_question(community_id, question_id, current_user)


@blp.route("")
class Questions(MethodView):
    decorators = [limiter.limit("10 per hour", key_func=_asker_key, methods=["POST"])]

    @member_required
    @blp.arguments(s.QuestionArgsSchema)
    @blp.response(201, s.QuestionSchema)
    def post(self, args, community_id):
        """Ask the community, or one contact of the directory; it is routed to someone who answers."""
        return services.ask(community_id, current_user, **args)


@blp.route("/mine")
class MyQuestions(MethodView):
    @member_required
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, s.QuestionPageSchema)
    def get(self, args, community_id):
        """The questions I asked, newest first."""
        return services.list_mine(community_id, current_user, **args)


@blp.route("/inbox")
class Inbox(MethodView):
    @member_required
    @blp.arguments(s.InboxArgsSchema, location="query")
    @blp.response(200, s.QuestionPageSchema)
    def get(self, args, community_id):
        """Questions to answer, overdue first: staff see all, a party member those assigned to them."""
        return services.inbox(community_id, current_user, **args)


@blp.route("/<int:question_id>")
class QuestionById(MethodView):
    @member_required
    @blp.response(200, s.QuestionSchema)
    def get(self, community_id, question_id):
        """One question with its answers (its asker, staff, and the assigned contact only)."""
        return services.present([_question(community_id, question_id)], current_user)[0]


@blp.route("/<int:question_id>/feedback")
class Feedback(MethodView):
    @member_required
    @blp.arguments(s.QuestionFeedbackArgsSchema)
    @blp.response(200, s.QuestionSchema)
    def post(self, args, community_id, question_id):
        """The asker says whether the answer helped, and may close the question with it."""
        return services.feedback(_question(community_id, question_id), current_user, **args)


@blp.route("/<int:question_id>/close")
class Close(MethodView):
    @member_required
    @blp.response(200, s.QuestionSchema)
    def post(self, community_id, question_id):
        """The asker closes the question: it takes no more answers."""
        return services.close(_question(community_id, question_id), current_user)


@blp.route("/<int:question_id>/follow-up")
class FollowUp(MethodView):
    @member_required
    @blp.arguments(s.FollowUpArgsSchema)
    @blp.response(200, s.QuestionSchema)
    def post(self, args, community_id, question_id):
        """The asker asks more; the question is open again."""
        return services.follow_up(_question(community_id, question_id), current_user, **args)


@blp.route("/<int:question_id>/answers")
class Answers(MethodView):
    @member_required
    @blp.arguments(s.AnswerArgsSchema)
    @blp.response(201, s.QuestionSchema)
    def post(self, args, community_id, question_id):
        """Answer (staff, or the assigned contact); the asker gets a push."""
        return services.answer(_question(community_id, question_id), current_user, **args)


@blp.route("/<int:question_id>/transfer")
class Transfer(MethodView):
    @member_required
    @blp.arguments(s.TransferArgsSchema)
    @blp.response(200, s.QuestionSchema)
    def post(self, args, community_id, question_id):
        """Pass the question on to another contact (staff, or the assigned contact); they get a push."""
        return services.transfer(_question(community_id, question_id), current_user, **args)


@blp.route("/<int:question_id>/faq")
class Faq(MethodView):
    @staff_required
    @blp.arguments(s.FaqArgsSchema)
    @blp.response(201, s.FaqSchema)
    def post(self, args, community_id, question_id):
        """Publish an anonymised FAQ in the guide from an answered question whose asker allowed it."""
        return faq.make_faq(_question(community_id, question_id), **args)


@blp.route("/manage/settings")
class Settings(MethodView):
    @staff_required
    @blp.response(200, s.SettingsSchema)
    def get(self, community_id):
        """The promise in working days, the routing table by topic, and the calendar."""
        return settings.get_settings(community_id)

    @staff_required
    @blp.arguments(s.SettingsArgsSchema)
    @blp.response(200, s.SettingsSchema)
    def put(self, args, community_id):
        """Replace the promise, the routing table and the calendar."""
        return settings.save_settings(community_id, **args)
