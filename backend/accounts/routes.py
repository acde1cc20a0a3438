from flask import current_app, jsonify, request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

# `schemas` first: it loads places, and places and accounts.services import each other.
from backend.accounts import schemas as s
from backend.accounts import services
from backend.accounts.admin import list_users, refuse_self, remove_staff
from backend.accounts.admin_schemas import AdminUserPageSchema, AdminUserQueryArgsSchema
from backend.accounts.models import InviteCode, Residency, User
from backend.accounts.resets import issue_reset_code, reset_password
from backend.common.db import without_transaction
from backend.common.fields import normalize_phone
from backend.common.pagination import PageArgsSchema
from backend.common.permissions import admin_required, login_required, principal, public, staff_required
from backend.errors import NotFound
from backend.extensions import db, limiter
from backend.places.schemas import StaffMemberSchema
from backend.places.services import get_community, get_in_community, list_staff

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Accounts and sessions")
staff_blp = Blueprint("residents", __name__, url_prefix="/api/v1/communities/<int:community_id>",
                      description="Staff: verifying residents and household invites")
admin_blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin", description="Deployment administration")


def _auth_limit():
    return current_app.config["AUTH_RATE_LIMIT"]


def _login_phone() -> str:
    """Whose failures a login adds to: the phone normalized (or as typed), whether it has an account or not."""
    body = request.get_json(silent=True)
    phone = str(body.get("phone", ""))[:30] if isinstance(body, dict) else ""
    return f"login:{normalize_phone(phone) or phone.strip()}"


def _user_key() -> str:
    return f"user:{getattr(current_user, 'id', None)}"


def _error_code(response) -> str | None:
    return (response.get_json(silent=True) or {}).get("code") if response.status_code >= 400 else None


def _failed_invite(response) -> bool:
    return _error_code(response) == "invite_invalid"


# Only failures count: a wrong password (or reset code) locks that phone for a while, not everyone behind
# the address.
_login_failures = limiter.limit(
    lambda: current_app.config["LOGIN_FAILURE_LIMIT"], key_func=_login_phone, methods=["POST"],
    deduct_when=lambda response: _error_code(response) in ("invalid_credentials", "reset_code_invalid",
                                                              "sms_code_invalid"),
    error_message="Too many failed logins for this phone number. Try again later.")
_invite_failures = limiter.limit(
    lambda: current_app.config["INVITE_FAILURE_LIMIT"], key_func=_user_key, methods=["POST"],
    deduct_when=_failed_invite, error_message="Too many wrong invite codes. Try again later.")


@blp.route("/csrf")
class Csrf(MethodView):
    @public
    @blp.response(204)
    def get(self):
        """Set the CSRF cookie that every write must echo in X-CSRF-Token."""


@blp.route("/register")
class Register(MethodView):
    decorators = [limiter.limit(_auth_limit, methods=["POST"])]

    @public
    @blp.arguments(s.RegisterArgsSchema)
    @blp.response(201, s.MeSchema)
    def post(self, args):
        """Register by phone with an invite code or a dwelling claim; logs in."""
        return services.register(**args)


@blp.route("/login")
class Login(MethodView):
    decorators = [limiter.limit(_auth_limit, methods=["POST"]), _login_failures]

    @public
    @blp.arguments(s.LoginArgsSchema)
    @blp.response(200, s.MeSchema)
    def post(self, args):
        """Log in with phone and password."""
        return services.login(**args)


@blp.route("/logout")
class Logout(MethodView):
    @login_required
    @blp.response(204)
    def post(self):
        """Log out here and on every other device."""
        services.logout(current_user)


@blp.route("/me")
class Me(MethodView):
    @without_transaction
    @login_required
    @blp.response(200, s.MeSchema)
    def get(self):
        """My profile, roles and residencies."""
        return jsonify(services.me(principal()))  # dumped already, as the schema would

    @login_required
    @blp.arguments(s.ProfileArgsSchema)
    @blp.response(200, s.MeSchema)
    def patch(self, args):
        """Change my name, language, care mode or year of birth."""
        return services.update_profile(current_user, **args)


@blp.route("/residencies")
class MyResidencies(MethodView):
    decorators = [limiter.limit(_auth_limit, methods=["POST"]), _invite_failures]
    @login_required
    @blp.arguments(s.ResidencyArgsSchema)
    @blp.response(201, s.MeSchema)
    def post(self, args):
        """Add another home: by household invite code, or a claim staff will verify."""
        return services.add_residency(current_user, **args)


@blp.route("/password")
class Password(MethodView):
    @login_required
    @blp.arguments(s.PasswordArgsSchema)
    @blp.response(204)
    def post(self, args):
        """Change my password; other devices are logged out."""
        services.change_password(current_user, **args)


@blp.route("/password-reset")
class PasswordReset(MethodView):
    decorators = [limiter.limit(_auth_limit, methods=["POST"]), _login_failures]

    @public
    @blp.arguments(s.ResetArgsSchema)
    @blp.response(200, s.MeSchema)
    def post(self, args):
        """Set a new password with the code the community desk gave; logs in here, out everywhere else."""
        return reset_password(**args)


@staff_blp.route("/residents/<int:user_id>/password-reset")
class IssuePasswordReset(MethodView):
    @staff_required
    @staff_blp.response(201, s.PasswordResetSchema)
    def post(self, community_id, user_id):
        """A one-time code for a resident who forgot their password (check who they are first)."""
        return issue_reset_code(community_id, user_id, current_user)


@staff_blp.route("/residencies")
class Residencies(MethodView):
    @staff_required
    @staff_blp.arguments(s.ResidencyQueryArgsSchema, location="query")
    @staff_blp.response(200, s.StaffResidencyPageSchema)
    def get(self, args, community_id):
        """Residencies of this community by status (the pending queue by default), a page at a time."""
        return services.list_residencies(community_id, **args)


@staff_blp.route("/residencies/<int:residency_id>/verify")
class VerifyResidency(MethodView):
    @staff_required
    @staff_blp.response(200, s.StaffResidencySchema)
    def post(self, community_id, residency_id):
        """Confirm that this person lives in the dwelling they claimed."""
        residency = get_in_community(Residency, community_id, residency_id)
        return services.decide_residency(residency, current_user)


@staff_blp.route("/residencies/<int:residency_id>/reject")
class RejectResidency(MethodView):
    @staff_required
    @staff_blp.arguments(s.RejectArgsSchema)
    @staff_blp.response(200, s.StaffResidencySchema)
    def post(self, args, community_id, residency_id):
        """Turn down a residency claim, with a reason the resident sees."""
        residency = get_in_community(Residency, community_id, residency_id)
        return services.decide_residency(residency, current_user, args["reason"])


@staff_blp.route("/invites")
class Invites(MethodView):
    @staff_required
    @staff_blp.arguments(PageArgsSchema, location="query")
    @staff_blp.response(200, s.InvitePageSchema)
    def get(self, args, community_id):
        """Household invite codes of this community, newest first, a page at a time."""
        return services.list_invites(community_id, **args)

    @staff_required
    @staff_blp.arguments(s.InviteArgsSchema)
    @staff_blp.response(201, s.InviteSchema)
    def post(self, args, community_id):
        """Create an invite code that verifies its users for one dwelling."""
        return services.create_invite(community_id, current_user, **args)


@staff_blp.route("/invites/<int:invite_id>")
class InviteById(MethodView):
    @staff_required
    @staff_blp.response(200, s.InviteSchema)
    def get(self, community_id, invite_id):
        """One invite code, to print or show as a QR code."""
        return get_in_community(InviteCode, community_id, invite_id)

    @staff_required
    @staff_blp.response(204)
    def delete(self, community_id, invite_id):
        """Revoke an invite code."""
        services.revoke_invite(get_in_community(InviteCode, community_id, invite_id))


@admin_blp.route("/users")
class Users(MethodView):
    @admin_required
    @admin_blp.arguments(AdminUserQueryArgsSchema, location="query")
    @admin_blp.response(200, AdminUserPageSchema)
    def get(self, args):
        """Accounts by part of their phone or name, newest first, to appoint or disable one."""
        return list_users(**args)


@admin_blp.route("/communities/<int:community_id>/staff")
class AppointStaff(MethodView):
    @admin_required
    @admin_blp.response(200, StaffMemberSchema(many=True))
    def get(self, community_id):
        """The community's staff with their titles."""
        get_community(community_id)
        return list_staff(community_id)

    @admin_required
    @admin_blp.arguments(s.AppointStaffArgsSchema)
    @admin_blp.response(201, s.MeSchema)
    def post(self, args, community_id):
        """Appoint a staff member (creating the account when the phone is new)."""
        return services.appoint_staff(community_id, **args)


@admin_blp.route("/communities/<int:community_id>/staff/<int:user_id>")
class StaffLeaving(MethodView):
    @admin_required
    @admin_blp.response(204)
    def delete(self, community_id, user_id):
        """Remove a staff member from the community (they leave the job; their account stays)."""
        remove_staff(community_id, user_id)


@admin_blp.route("/users/<int:user_id>")
class UserStatus(MethodView):
    @admin_required
    @admin_blp.arguments(s.UserStatusArgsSchema)
    @admin_blp.response(200, s.MeSchema)
    def patch(self, args, user_id):
        """Disable or re-enable an account; disabling ends all its sessions."""
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound("No such user.")
        if not args["active"]:
            refuse_self(current_user, user)
        return services.set_user_active(user, **args)
