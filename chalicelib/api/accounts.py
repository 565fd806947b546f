"""Accounts: citizens sign up, staff are created by their region's admin,
and everyone can ask who they are signed in as."""
from chalice import Blueprint

from ..contract import accounts as contract
from ..services import accounts
from .endpoint import route

bp = Blueprint(__name__)


@route(bp, "/v1/regions/{region_id}/signup", "POST", summary="A citizen signs up (Cognito sends a verification code)",
       body=contract.SignupRequest, returns=contract.Signup, status=201,
       errors={404: "Unknown region", 409: "Account exists"})
def signup(region_id, body):
    return accounts.signup_citizen(region_id, body)


@route(bp, "/v1/signup/confirm", "POST", summary="Confirm a sign-up with the code Cognito sent",
       body=contract.ConfirmRequest, returns=contract.Confirmed)
def confirm(body):
    return accounts.confirm_signup(body)


@route(bp, "/v1/regions/{region_id}/accounts", "POST",
       summary="A region admin creates a staff account (Cognito sends the temporary password)",
       body=contract.StaffRequest, returns=contract.StaffAccount, status=201, auth="required",
       roles=("region_admin", "platform_admin"), errors={404: "Unknown region", 409: "Account exists"})
def create_staff(region_id, actor, body):
    return accounts.create_staff(region_id, body, actor)


@route(bp, "/v1/me", summary="The signed-in account", returns=contract.Me, auth="required")
def me(actor):
    return accounts.me(actor)
