"""Accounts in the Cognito user pool: citizens sign up themselves, staff are
created by their region's admin.  Roles are groups; the region, agency and
kelurahan are custom attributes that the app client cannot write, so an
account cannot move itself to another region or role."""
from __future__ import annotations

import logging
import re
from typing import Any, Literal

from ..adapters import aws
from ..auth import verifier
from ..auth.identity import Identity
from ..contract import accounts as contract
from ..domain import limits, notice, roles
from ..domain import reports as rules
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests, Unprocessable
from ..domain.projects import format_npwp, npwp
from ..store import limits as limit_store
from ..store import projects as project_store
from ..store import staff as staff_store
from . import guards, pseudonyms, regions

log = logging.getLogger(__name__)
_PHONE = re.compile(r"^\+62[0-9]{8,13}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,180}\.[A-Za-z]{2,24}$")


def _contact(phone: str | None, email: str | None) -> tuple[str, list[dict[str, str]]]:
    """The username (phone in E.164, or e-mail) and its Cognito attributes."""
    if phone is None and email is None:
        raise InvalidInput("missing_field", field="phone|email")
    attributes = []
    if phone is not None:
        if not _PHONE.match(phone):
            raise InvalidInput("invalid_phone")
        attributes.append({"Name": "phone_number", "Value": phone})
    if email is not None:
        email = email.lower()
        if not _EMAIL.match(email):
            raise InvalidInput("invalid_email")
        attributes.append({"Name": "email", "Value": email})
    return (phone or email or ""), attributes


def _cognito_error(error: Exception) -> Exception:
    code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
    if code in ("UsernameExistsException", "AliasExistsException"):
        return Conflict("account_exists")
    if code == "InvalidPasswordException":
        return InvalidInput("invalid_password")
    if code in ("CodeMismatchException", "ExpiredCodeException"):
        return InvalidInput("invalid_code")
    if code in ("UserNotFoundException", "NotAuthorizedException"):
        return InvalidInput("invalid_code")
    return error


def _password_ok(password: str) -> bool:
    """The user pool's policy, checked here so that a new and an existing
    address answer alike (Cognito checks it only for a new one)."""
    return len(password) >= 8 and any(c.islower() for c in password) and any(c.isdigit() for c in password)


def _limit(address: str, source: str | None) -> None:
    """Codes and notices per address, sign-ups and resends per source: one
    conditional write each, keyed by a one-way hash (never the address)."""
    window, ends, retry_after = limits.window(rules.now_utc())
    for limit, subject in ((limits.PER_SOURCE, source), (limits.PER_ADDRESS, address)):
        if subject and not limit_store.take(pseudonyms.of(subject, f"limit:{limit.name}"), window, limit.per_hour,
                                            ends):
            raise TooManyRequests("too_many_requests", retry_after=retry_after)


def signup_citizen(region_id: str, body: contract.SignupRequest, source: str | None) -> contract.SignupAccepted:
    """Answer the same whether or not the address has an account: a new one
    gets a code (Cognito SignUp), an existing one a recovery code from
    Cognito instead (or its confirmation code again, if never confirmed) —
    the notice that someone tried to sign up with it.  Consent to the
    current privacy notice is required and recorded on the account."""
    region = regions.get_region(region_id)
    username, attributes = _contact(body.phone, body.email)
    if not _password_ok(body.password):
        raise InvalidInput("invalid_password")
    if body.consent.notice_version != notice.VERSION:
        raise Unprocessable("privacy_notice_outdated", version=notice.VERSION)
    _limit(username, source)
    cognito = aws.client("cognito-idp")
    try:
        cognito.sign_up(ClientId=verifier.client_id(), Username=username, Password=body.password,
                        UserAttributes=attributes + [{"Name": "name", "Value": body.name}])
    except cognito.exceptions.ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code not in ("UsernameExistsException", "AliasExistsException"):
            raise _cognito_error(error) from None
        _tell_existing(cognito, username)
    else:
        pool = verifier.pool_id()
        consent = f"{notice.VERSION}@{rules.iso_utc(rules.now_utc())[:19]}Z"
        cognito.admin_update_user_attributes(UserPoolId=pool, Username=username, UserAttributes=[
            {"Name": "custom:region_id", "Value": region.region_id}, {"Name": "custom:consent", "Value": consent}])
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName="citizen")
    return contract.SignupAccepted(username=username, region_id=region.region_id)


def _tell_existing(cognito: Any, username: str) -> None:
    """The notice to an address that already has an account, through
    Cognito's own delivery (SMS or e-mail): its confirmation code again if it
    was never confirmed, else a password-recovery code."""
    try:
        status = cognito.admin_get_user(UserPoolId=verifier.pool_id(), Username=username).get("UserStatus")
        if status == "UNCONFIRMED":
            cognito.resend_confirmation_code(ClientId=verifier.client_id(), Username=username)
        else:
            cognito.forgot_password(ClientId=verifier.client_id(), Username=username)
    except cognito.exceptions.ClientError as error:  # disabled, no verified channel...: nothing to send
        log.info("sign-up notice to an existing account not sent (%s)",
                 error.response.get("Error", {}).get("Code", "?"))


def resend_code(body: contract.ResendRequest, source: str | None) -> contract.SignupAccepted:
    """A new confirmation code for an unconfirmed sign-up; answered alike
    for any address (nothing is sent to a confirmed or unknown one)."""
    _limit(body.username, source)
    cognito = aws.client("cognito-idp")
    try:
        if cognito.admin_get_user(UserPoolId=verifier.pool_id(), Username=body.username) \
                .get("UserStatus") == "UNCONFIRMED":
            cognito.resend_confirmation_code(ClientId=verifier.client_id(), Username=body.username)
    except cognito.exceptions.ClientError:
        pass  # unknown: the same answer
    return contract.SignupAccepted(username=body.username, region_id=None)


def confirm_signup(body: contract.ConfirmRequest) -> contract.Confirmed:
    username, code = body.username, body.code
    cognito = aws.client("cognito-idp")
    try:
        cognito.confirm_sign_up(ClientId=verifier.client_id(), Username=username, ConfirmationCode=code)
    except cognito.exceptions.ClientError as error:
        raise _cognito_error(error) from None
    return contract.Confirmed(username=username, confirmed=True)


def create_staff(region_id: str, body: contract.StaffRequest, actor: Identity) -> contract.StaffAccount:
    region = regions.get_region(region_id)
    if actor.role not in roles.ADMINS or not actor.in_region(region.region_id):
        raise Forbidden("forbidden")
    name, role, agency, kelurahan_code = body.name, body.role, body.agency, body.kelurahan_code
    if role in ("officer", "agency_head") and not agency and not kelurahan_code:
        raise InvalidInput("missing_field", field="agency")
    if agency and agency not in region.agencies:
        raise InvalidInput("unknown_agency", agency=agency)
    if kelurahan_code and kelurahan_code not in region.kelurahan:
        raise InvalidInput("unknown_kelurahan", kelurahan_code=kelurahan_code)
    contractor = None
    if role == "contractor":
        # one account per winning contractor per region, known by its NPWP
        if body.npwp is None:
            raise InvalidInput("missing_field", field="npwp")
        contractor = npwp(body.npwp)
        agency = kelurahan_code = None
    elif body.npwp is not None:
        raise InvalidInput("unknown_field", field="npwp")
    username, attributes = _contact(body.phone, body.email)
    if contractor:
        attributes.append({"Name": "custom:contractor", "Value": contractor})
    attributes += [{"Name": "name", "Value": name or ""},
                   {"Name": "custom:region_id", "Value": region.region_id}]
    if agency:
        attributes.append({"Name": "custom:agency", "Value": agency})
    if kelurahan_code:
        attributes.append({"Name": "custom:kelurahan_code", "Value": kelurahan_code})
    cognito = aws.client("cognito-idp")
    pool = verifier.pool_id()
    if contractor and not project_store.claim_contractor(region.region_id, contractor, name or "", username,
                                                        actor.sub, rules.iso_utc(rules.now_utc())):
        raise Conflict("contractor_account_exists", npwp=format_npwp(contractor))
    try:
        created = cognito.admin_create_user(UserPoolId=pool, Username=username, UserAttributes=attributes,
                                            DesiredDeliveryMediums=["SMS" if username.startswith("+") else "EMAIL"])
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName=role)
    except cognito.exceptions.ClientError as error:
        if contractor:
            project_store.release_contractor(region.region_id, contractor)
        raise _cognito_error(error) from None
    sub = next(a["Value"] for a in created["User"]["Attributes"] if a["Name"] == "sub")
    register_staff(region.region_id, username, sub, name, role, agency, kelurahan_code, contractor, actor.sub)
    return contract.StaffAccount(username=username, name=name, role=role, region_id=region.region_id,
                                 agency=agency, kelurahan_code=kelurahan_code, contractor=contractor)


def me(actor: Identity) -> contract.Me:
    view = contract.Me(sub=actor.sub, username=actor.username, name=actor.name, role=actor.role,
                       region_id=actor.region_id)
    if actor.is_staff:
        view.agency = actor.agency
        view.kelurahan_code = actor.kelurahan_code
    if actor.role == "contractor":
        view.contractor_npwp = actor.contractor
    return view


# --- the staff directory ----------------------------------------------------

def register_staff(region_id: str, username: str, sub: str, name: str, role: str, agency: str | None,
                   kelurahan_code: str | None, contractor: str | None, by: str) -> None:
    """The directory entry of a staff account just created in Cognito
    (Cognito cannot list or search a region's staff)."""
    at = rules.iso_utc(rules.now_utc())
    try:
        staff_store.add(region_id, username, {
            "sub": sub, "name": name, "role": role, "agency": agency, "kelurahan_code": kelurahan_code,
            "contractor": contractor, "active": True, "awaiting_first_sign_in": True, "created_by": by,
            "created_at": at, "updated_at": at})
    except staff_store.Exists:
        pass  # seeded again


def _entry(item: Any, awaiting: bool) -> contract.StaffEntry:
    return contract.StaffEntry(username=item.username, name=item.name, role=item.role, agency=item.agency,
                               kelurahan_code=item.kelurahan_code, active=bool(item.active),
                               awaiting_first_sign_in=awaiting, created_at=item.created_at,
                               updated_at=item.updated_at)


def _cognito_status(cognito: Any, username: str) -> str | None:
    """The account's Cognito status (``FORCE_CHANGE_PASSWORD`` until its
    first sign-in), None if Cognito does not know it."""
    try:
        return str(cognito.admin_get_user(UserPoolId=verifier.pool_id(), Username=username).get("UserStatus"))
    except cognito.exceptions.UserNotFoundException:
        return None


def _pending_sign_in(cognito: Any) -> set[str]:
    """The username and ``sub`` of every account of the pool still awaiting
    its first sign-in: one ListUsers filtered by status (paged, no other
    attribute read) for a whole directory page, not one AdminGetUser per
    entry.  Both, because a pool that signs in by e-mail or phone names its
    users by ``sub`` there, and moto's RESEND gives a user a new ``sub``.
    Citizens sign up (UNCONFIRMED, then CONFIRMED): only staff accounts an
    admin created wait in FORCE_CHANGE_PASSWORD, so the answer is short."""
    pages = cognito.get_paginator("list_users").paginate(
        UserPoolId=verifier.pool_id(), Filter='cognito:user_status = "FORCE_CHANGE_PASSWORD"', AttributesToGet=["sub"])
    users = [user for page in pages for user in page.get("Users", [])]
    return {user["Username"] for user in users} | {
        attribute["Value"] for user in users for attribute in user.get("Attributes", []) if attribute["Name"] == "sub"}


def _awaiting(region_id: str, item: Any, pending: set[str]) -> bool:
    """Whether the account still awaits its first sign-in, as ``pending``
    says, recorded on the entry when that changed (once it has signed in,
    the entry says so for good and Cognito is not asked again)."""
    if item.awaiting_first_sign_in is False:
        return False
    awaiting = item.sub in pending or item.username in pending
    if item.awaiting_first_sign_in is None or not awaiting:
        staff_store.set_awaiting(region_id, item.username, awaiting)
    return awaiting


def _awaiting_of(region_id: str, items: list[Any]) -> list[bool]:
    asked = any(item.awaiting_first_sign_in is not False for item in items)
    pending = _pending_sign_in(aws.client("cognito-idp")) if asked else set()
    return [_awaiting(region_id, item, pending) for item in items]


def _known_staff(region_id: str, username: str) -> Any:
    """The directory entry of ``username`` in this region; any other name
    (another region's, unknown, too long, not text) is the same 404, so
    that no one learns which accounts exist elsewhere."""
    try:
        username.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        raise NotFound("staff_not_found") from None
    item = staff_store.get(region_id, username) if 0 < len(username) <= 254 else None
    if item is None:
        raise NotFound("staff_not_found")
    return item


def list_staff(region_id: str, actor: Identity, query: contract.StaffQuery) -> tuple[list[contract.StaffEntry],
                                                                                     str | None]:
    region = regions.get_region(region_id)
    guards.require_region_admin(actor, region.region_id)
    try:
        items, cursor = staff_store.page(region.region_id, query.limit, query.cursor, query.role, query.active,
                                         query.q)
    except staff_store.BadCursor:
        raise InvalidInput("invalid_cursor") from None
    return [_entry(item, awaiting) for item, awaiting in zip(items, _awaiting_of(region.region_id, items),
                                                             strict=True)], cursor


def set_staff_active(region_id: str, username: str, active: bool, actor: Identity) -> contract.StaffEntry:
    """Deactivate (or reactivate) a staff account: Cognito refuses its
    sign-in and revokes its refresh tokens; who did what stays in the
    reports' histories.  Not one's own account; not another region's."""
    region = regions.get_region(region_id)
    guards.require_region_admin(actor, region.region_id)
    _known_staff(region.region_id, username)
    if username == actor.username:
        raise Forbidden("cannot_deactivate_self")
    cognito, pool = aws.client("cognito-idp"), verifier.pool_id()
    if active:
        cognito.admin_enable_user(UserPoolId=pool, Username=username)
    else:
        cognito.admin_disable_user(UserPoolId=pool, Username=username)
        cognito.admin_user_global_sign_out(UserPoolId=pool, Username=username)
    item = staff_store.set_active(region.region_id, username, active, rules.iso_utc(rules.now_utc()))
    if item is None:
        raise NotFound("staff_not_found")
    [awaiting] = _awaiting_of(region.region_id, [item])
    return _entry(item, awaiting)


def resend_invitation(region_id: str, username: str, actor: Identity) -> contract.InvitationResent:
    """Send a staff account's invitation again (Cognito ``AdminCreateUser``
    with ``MessageAction=RESEND``: a new temporary password, its validity
    restarted), for an account that has not signed in yet.  One that set its
    own password, or a deactivated one, is a 409; another region's or an
    unknown name the same 404."""
    region = regions.get_region(region_id)
    guards.require_region_admin(actor, region.region_id)
    item = _known_staff(region.region_id, username)
    if not item.active:
        raise Conflict("staff_inactive")
    cognito = aws.client("cognito-idp")
    status = _cognito_status(cognito, username)
    if status is None:
        raise NotFound("staff_not_found")
    if status != "FORCE_CHANGE_PASSWORD":
        staff_store.set_awaiting(region.region_id, username, False)
        raise Conflict("invitation_not_pending")
    delivery: Literal["email", "sms"] = "sms" if username.startswith("+") else "email"
    try:
        cognito.admin_create_user(UserPoolId=verifier.pool_id(), Username=username, MessageAction="RESEND",
                                  DesiredDeliveryMediums=[delivery.upper()])
    except cognito.exceptions.ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code == "UnsupportedUserStateException":  # signed in meanwhile
            raise Conflict("invitation_not_pending") from None
        if code == "UserNotFoundException":
            raise NotFound("staff_not_found") from None
        if code in ("TooManyRequestsException", "LimitExceededException"):
            raise TooManyRequests("too_many_requests", retry_after=60) from None
        raise
    log.info("staff invitation resent in %s by %s", region.region_id, actor.sub)  # never the address
    return contract.InvitationResent(username=username, delivery=delivery, sent_at=rules.iso_utc(rules.now_utc()),
                                     entry=_entry(item, True))
