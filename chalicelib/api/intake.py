"""The partner intake API: partner systems (LAPOR! SP4N, call-centre
consoles, PSC 119, the BPBD hotline) send reports with their API key and
follow them by their own tracking id."""
from typing import TYPE_CHECKING

from chalice import Blueprint

from ..contract import intake as contract
from ..lazy import lazy
from .endpoint import Header, Reply, route

if TYPE_CHECKING:  # imported on the first request that uses them (chalicelib/lazy.py)
    from ..services import intake, partners
else:
    intake = lazy("chalicelib.services.intake", rare=True)
    partners = lazy("chalicelib.services.partners")

bp = Blueprint(__name__)

API_KEY = Header("X-Api-Key", "The partner's API key (created by the region admin: "
                              "`POST /v1/regions/{region_id}/partners`). Missing, malformed, unknown or revoked: 403 "
                              "`invalid_api_key`; over the key's limit a minute: 429 with `Retry-After`.",
                 max_length=200, code="invalid_api_key", status=403)
ERRORS = {403: "Missing, invalid or revoked API key (`invalid_api_key`), or the region's pilot has ended",
          429: "Over the key's limit a minute (`Retry-After`)"}


@route(bp, "/v1/partner/reports", "POST", summary="A partner system sends a report (X-Api-Key)",
       description="201 with `created: true` for a new report; a retry with the same `tracking_id` and body is "
                   "answered 200 with `created: false` and the same id (nothing new is created). The report goes "
                   "through the same pipeline as an app's: routing, verification, SLA clocks, statistics (under "
                   "the key's channel); status changes are pushed to the partner's webhook.",
       body=contract.PartnerReport, returns=contract.PartnerReceipt, status=201, headers=(API_KEY,),
       also={200: "A retry with the same tracking id and body: the same report, `created: false`"},
       errors={**ERRORS, 400: "Invalid input: an unknown category (the valid codes are in `allowed_codes`) or "
                              "desa/kelurahan code, no location, a photo type other than JPEG, PNG or WebP",
               413: "A photo over 4 MB (send `media_url`)",
               422: "The tracking id was used before for a different report (`tracking_id_reused`)"})
def submit_partner_report(body, x_api_key):
    partner = partners.authenticate(x_api_key)
    submitted = intake.submit(partner, intake.from_request(body))
    reply = intake.receipt(submitted, body.tracking_id)
    return reply if submitted.created else Reply(reply, status=200)


@route(bp, "/v1/partner/reports/{tracking_id}", summary="A partner's report by its tracking id (X-Api-Key)",
       description="Its status, the notes of its history and the agency handling it. Only the partner's own "
                   "reports: another partner's tracking id is 404.",
       returns=contract.PartnerReportStatus, headers=(API_KEY,), errors={**ERRORS, 404: "No such report of yours"})
def get_partner_report(tracking_id, x_api_key):
    return intake.report_status(partners.authenticate(x_api_key), tracking_id)
