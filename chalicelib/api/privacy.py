"""Citizens' data rights (UU PDP 27/2022): take your data, erase yourself;
the region's record of those requests."""
from typing import TYPE_CHECKING

from chalice import Blueprint

from ..contract import privacy as contract
from ..contract.common import Page, PageQuery
from ..domain import roles
from ..lazy import lazy
from .endpoint import route

if TYPE_CHECKING:  # imported on the first request that uses them (chalicelib/lazy.py)
    from ..services import privacy
else:
    privacy = lazy("chalicelib.services.privacy", rare=True)

bp = Blueprint(__name__)


@route(bp, "/v1/me/data", summary="Everything the system holds about the signed-in person (`?photos=zip`: a zip too)",
       description="Account, reports with their whole history, ratings and photo links; nothing about anyone else. "
                   "Recorded as a data-rights request.",
       query=contract.DataQuery, returns=contract.PersonalData, auth="required")
def my_data(actor, query):
    return privacy.export(actor, query)


@route(bp, "/v1/me", "DELETE", summary="Erase the signed-in citizen (their reports stay, anonymised)",
       description="The Cognito account is deleted; name, phone, e-mail and account id are removed from every report "
                   "and rating; the reports stay, as from a deleted account. Staff accounts are deactivated by "
                   "their region admin instead (403).",
       returns=contract.PrivacyRequest, auth="required", errors={403: "A staff account"})
def erase_me(actor):
    return privacy.erase(actor)


@route(bp, "/v1/regions/{region_id}/privacy-requests", summary="The region's data-rights requests, newest first",
       query=PageQuery, returns=Page[contract.PrivacyRequest], auth="required", roles=roles.ADMINS,
       errors={404: "Unknown region"})
def privacy_requests(region_id, actor, query):
    items, cursor = privacy.requests(region_id, actor, query)
    return Page(items, cursor)
