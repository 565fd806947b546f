"""Partner systems of a region (LAPOR!, PSC 119, BPBD, the call centre, the
SMS gateway, Open311 clients): their API keys, for the region admin; the
ones a report can be forwarded to, for the verification desk."""
from typing import TYPE_CHECKING

from chalice import Blueprint

from ..contract import partners as contract
from ..contract.common import Page, PageQuery
from ..domain import roles
from ..lazy import lazy
from .endpoint import route

if TYPE_CHECKING:  # imported on the first request that uses them (chalicelib/lazy.py)
    from ..services import partners
else:
    partners = lazy("chalicelib.services.partners")

bp = Blueprint(__name__)


@route(bp, "/v1/regions/{region_id}/partners", "POST",
       summary="Create a partner system's API key (region admin); the key and webhook secret are shown once",
       body=contract.NewPartner, returns=contract.PartnerCredentials, status=201, auth="required",
       roles=roles.ADMINS, errors={403: "Not the region's admin", 404: "Unknown region"})
def create_partner(region_id, actor, body):
    return partners.create(region_id, body, actor)


@route(bp, "/v1/regions/{region_id}/partners", summary="The region's partner systems and their keys (no secrets)",
       query=PageQuery, returns=Page[contract.Partner], auth="required", roles=roles.ADMINS,
       errors={403: "Not the region's admin", 404: "Unknown region"})
def list_partners(region_id, actor, query):
    return partners.listing(region_id, query, actor)


@route(bp, "/v1/regions/{region_id}/forward-targets",
       summary="The partner systems the verification desk may forward a report to (bukan wewenang)",
       description="The region's partners that are not revoked and have a webhook to receive a forwarded report "
                   "(`POST /v1/reports/{report_id}/forward`): id, name and channel only, nothing secret. For the "
                   "desk (verifiers, region admins).",
       returns=contract.ForwardTargets, auth="required", roles=roles.DESK,
       errors={403: "Not the region's verification desk", 404: "Unknown region"})
def forward_targets(region_id, actor):
    return partners.forward_targets(region_id, actor)


@route(bp, "/v1/regions/{region_id}/partners/{partner_id}/revoke", "POST",
       summary="Revoke a partner's key at once (its requests are then 403)", returns=contract.Partner,
       auth="required", roles=roles.ADMINS, errors={403: "Not the region's admin", 404: "Unknown partner"})
def revoke_partner(region_id, partner_id, actor):
    return partners.revoke(region_id, partner_id, actor)
