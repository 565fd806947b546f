"""The roles (Cognito groups), once.  An account's role is the most
privileged group it is in."""
from __future__ import annotations

# every role, most privileged first
ROLES = ("platform_admin", "region_admin", "agency_head", "finance", "verifier", "officer", "contractor", "citizen")
# outside the regency's own staff
OUTSIDE = ("citizen", "contractor")
# administer a region: settings, categories, boundaries, staff, usage
ADMINS = ("region_admin", "platform_admin")
# the verification desk: verify, reject, mark duplicates, review low ratings
DESK = ("verifier", "region_admin", "platform_admin")
# work reports: the desk and the agencies' field staff
REPORT_STAFF = ("verifier", "officer", "agency_head", "region_admin", "platform_admin")
# register public works projects and file their documents
PROJECT_MANAGERS = ("region_admin", "platform_admin", "officer", "agency_head")
# what a region admin may create (citizens sign up themselves; platform admins are the vendor's)
CREATED_BY_REGION_ADMIN = ("verifier", "officer", "agency_head", "region_admin", "finance", "contractor")
