"""Accounts: citizens sign up, staff are created by their region's admin,
and everyone can ask who they are signed in as."""
from chalice import Blueprint

from ..services import accounts
from .http import ANY_BODY, endpoint, json_body, reply

bp = Blueprint(__name__)


@bp.route("/v1/regions/{region_id}/signup", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp)
def signup(region_id):
    return reply(accounts.signup_citizen(region_id, json_body(bp.current_request)), 201)


@bp.route("/v1/signup/confirm", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp)
def confirm():
    return reply(accounts.confirm_signup(json_body(bp.current_request)))


@bp.route("/v1/regions/{region_id}/accounts", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp, auth="required", roles=("region_admin", "platform_admin"))
def create_staff(region_id, actor):
    return reply(accounts.create_staff(region_id, json_body(bp.current_request), actor), 201)


@bp.route("/v1/me", methods=["GET"])
@endpoint(bp, auth="required")
def me(actor):
    return reply(accounts.me(actor))
