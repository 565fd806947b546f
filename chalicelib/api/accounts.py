"""Accounts: citizens sign up, staff are created by their region's admin,
and everyone can ask who they are signed in as."""
from typing import TYPE_CHECKING

from chalice import Blueprint

from ..contract import accounts as contract
from ..contract.common import I18nText, Page
from ..domain import notice, roles
from ..lazy import lazy
from . import source
from .endpoint import route

if TYPE_CHECKING:  # imported on the first request that uses them (chalicelib/lazy.py)
    from ..services import accounts
else:
    accounts = lazy("chalicelib.services.accounts")

bp = Blueprint(__name__)


def _source() -> str | None:
    """The caller's IP address (rate limits): the viewer's behind our
    CloudFront distribution, else the connection's (``api/source.py``)."""
    return source.address(bp.current_request)


@route(bp, "/v1/regions/{region_id}/signup", "POST", summary="A citizen signs up (Cognito sends a verification code)",
       description="Answered alike whether or not the address has an account (202): a new one gets a code, an existing "
                   "one a notice. Requires consent to the current privacy notice. At most 3 codes an hour per "
                   "address and 20 sign-ups an hour per source address (429, `Retry-After`).",
       body=contract.SignupRequest, returns=contract.SignupAccepted, status=202,
       errors={404: "Unknown region", 422: "Privacy notice not accepted in its current version",
               429: "Too many sign-ups or codes; retry after `Retry-After` seconds"})
def signup(region_id, body):
    return accounts.signup_citizen(region_id, body, _source())


@route(bp, "/v1/signup/resend", "POST", summary="Send a sign-up's confirmation code again",
       description="Answered alike for any address; limited like sign-up.",
       body=contract.ResendRequest, returns=contract.SignupAccepted, status=202,
       errors={429: "Too many codes; retry after `Retry-After` seconds"})
def resend(body):
    return accounts.resend_code(body, _source())


@route(bp, "/v1/signup/confirm", "POST", summary="Confirm a sign-up with the code Cognito sent",
       description="A wrong code and an unknown address answer alike (`invalid_code`).",
       body=contract.ConfirmRequest, returns=contract.Confirmed)
def confirm(body):
    return accounts.confirm_signup(body)


@route(bp, "/v1/privacy-notice", summary="The privacy notice a citizen accepts when signing up (UU PDP 27/2022)",
       returns=contract.PrivacyNotice, cache="public, max-age=3600")
def privacy_notice():
    return contract.PrivacyNotice(version=notice.VERSION, text=I18nText(**notice.TEXT))


@route(bp, "/v1/regions/{region_id}/accounts", "POST",
       summary="A region admin creates a staff account (Cognito sends the temporary password)",
       body=contract.StaffRequest, returns=contract.StaffAccount, status=201, auth="required",
       roles=("region_admin", "platform_admin"), errors={404: "Unknown region", 409: "Account exists"})
def create_staff(region_id, actor, body):
    return accounts.create_staff(region_id, body, actor)


@route(bp, "/v1/me", summary="The signed-in account", returns=contract.Me, auth="required")
def me(actor):
    return accounts.me(actor)


@route(bp, "/v1/regions/{region_id}/staff", summary="The region's staff directory (its admins)",
       description="Filters combine: `role`, `active`, `q` (part of the name, any case).",
       query=contract.StaffQuery, returns=Page[contract.StaffEntry], auth="required", roles=roles.ADMINS,
       errors={404: "Unknown region"})
def list_staff(region_id, actor, query):
    items, cursor = accounts.list_staff(region_id, actor, query)
    return Page(items, cursor)


@route(bp, "/v1/regions/{region_id}/staff/{username}/deactivate", "POST",
       summary="Deactivate a staff account (sign-in refused, sessions revoked; its actions stay on record)",
       returns=contract.StaffEntry, auth="required", roles=roles.ADMINS,
       errors={403: "Not an admin of the region, or one's own account", 404: "No such staff in the region"})
def deactivate_staff(region_id, username, actor):
    return accounts.set_staff_active(region_id, username, False, actor)


@route(bp, "/v1/regions/{region_id}/staff/{username}/reactivate", "POST", summary="Reactivate a staff account",
       returns=contract.StaffEntry, auth="required", roles=roles.ADMINS,
       errors={403: "Not an admin of the region, or one's own account", 404: "No such staff in the region"})
def reactivate_staff(region_id, username, actor):
    return accounts.set_staff_active(region_id, username, True, actor)


@route(bp, "/v1/regions/{region_id}/staff/{username}/resend-invite", "POST",
       summary="Send a staff account's invitation again (a new temporary password)",
       description="For an account that has not signed in yet (`awaiting_first_sign_in`): Cognito sends a new "
                   "temporary password to its e-mail address or phone number and restarts its validity.",
       returns=contract.InvitationResent, auth="required", roles=roles.ADMINS,
       errors={403: "Not an admin of the region", 404: "No such staff in the region",
               409: "The account already set its password (`invitation_not_pending`) or is deactivated "
                    "(`staff_inactive`)",
               429: "Cognito's sending limit; retry after `Retry-After` seconds"})
def resend_invite(region_id, username, actor):
    return accounts.resend_invitation(region_id, username, actor)
