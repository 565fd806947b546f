"""Aduan: citizen reporting for Indonesian regencies and cities.

Only wiring here: the Chalice app, its blueprints, middleware and event
handlers.  The logic lives in ``chalicelib``.
"""
from chalice import Chalice

from chalicelib import resources
from chalicelib.api import (
    accounts,
    client,
    docs,
    health,
    intake,
    open311,
    partners,
    performance,
    privacy,
    projects,
    regions,
    reports,
    sms,
    workflow,
)
from chalicelib.api.endpoint import error_shape_middleware
from chalicelib.logs import configure_logging
from chalicelib.workers import (
    boundaries,
    dispatch,
    exports,
    photos,
    pilots,
    project_flags,
    routing,
    sla,
    stats,
    sweep,
    webhooks,
)

configure_logging()

app = Chalice(app_name=resources.APP_NAME)
app.register_middleware(error_shape_middleware, "http")

for blueprint in (health.bp, docs.bp, client.bp, regions.bp, reports.bp, workflow.bp, accounts.bp, projects.bp, privacy.bp,
                  performance.bp, partners.bp, intake.bp, sms.bp, open311.bp):
    app.register_blueprint(blueprint)
# Open311's multipart POST carries a photo: it must reach the handler as bytes (base64 through API Gateway)
app.api.binary_types.append("multipart/form-data")

for worker in (routing.bp, dispatch.bp, photos.bp, boundaries.bp, sweep.bp, sla.bp, pilots.bp, project_flags.bp,
               stats.bp, exports.bp, webhooks.bp):
    app.register_blueprint(worker)
