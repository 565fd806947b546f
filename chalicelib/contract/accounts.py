"""Accounts: citizens' sign-up, staff accounts, the signed-in account."""
from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from .common import I18nText, PageQuery, Request

Name = Annotated[str, Meta(min_length=1, max_length=120)]
Phone = Annotated[str, Meta(max_length=20, examples=["+6281234567890"], description="E.164, Indonesian (+62…)")]
Email = Annotated[str, Meta(max_length=254)]


class Consent(Request):
    notice_version: Annotated[str, Meta(max_length=16, description=(
        "The version of `GET /v1/privacy-notice` the person read and accepted."))]


class SignupRequest(Request):
    """A phone number or an e-mail address (or both); the first is the username."""

    name: Name
    password: Annotated[str, Meta(max_length=256, description=(
        "At least 8 characters with a lowercase letter and a digit, as the user pool requires."))]
    consent: Consent
    phone: Phone | None = None
    email: Email | None = None


class SignupAccepted(Struct, kw_only=True):
    """The same answer whether or not the address already has an account: a new one receives a confirmation
    code, an existing one a notice (its code again, or a recovery code)."""

    username: str
    region_id: str | None
    message: I18nText = msgspec.field(default_factory=lambda: I18nText(
        id="Jika alamat ini dapat dipakai, kode telah dikirim ke sana.",
        en="If this address can be used, a code has been sent to it."))


class ResendRequest(Request):
    username: Annotated[str, Meta(min_length=1, max_length=254)]


class PrivacyNotice(Struct, kw_only=True):
    version: str
    text: I18nText


class ConfirmRequest(Request):
    username: Annotated[str, Meta(min_length=1, max_length=254)]
    code: Annotated[str, Meta(min_length=1, max_length=16)]


class Confirmed(Struct, kw_only=True):
    username: str
    confirmed: bool


class StaffRequest(Request):
    name: Name
    role: Literal["verifier", "officer", "agency_head", "region_admin", "finance", "contractor"]
    phone: Phone | None = None
    email: Email | None = None
    agency: Annotated[str, Meta(max_length=64)] | None = None
    kelurahan_code: Annotated[str, Meta(max_length=32)] | None = None
    npwp: Annotated[str, Meta(max_length=32, description="contractor only: the contractor's NPWP")] | None = None


class StaffAccount(Struct, kw_only=True):
    username: str
    name: str
    role: str
    region_id: str
    agency: str | None
    kelurahan_code: str | None
    contractor: Annotated[str | None, Meta(description="A contractor's NPWP (digits)")]


class Me(Struct, kw_only=True):
    sub: str
    username: str
    name: str | None
    role: str
    region_id: str
    agency: str | None | UnsetType = UNSET
    kelurahan_code: str | None | UnsetType = UNSET
    contractor_npwp: str | None | UnsetType = UNSET


class StaffQuery(PageQuery, kw_only=True):
    role: Literal["verifier", "officer", "agency_head", "region_admin", "finance", "contractor"] | None = None
    active: bool | None = None
    q: Annotated[str, Meta(max_length=60, description="Part of the name, any case.")] | None = None


class StaffEntry(Struct, kw_only=True):
    """A staff account in its region's directory."""

    username: str
    name: str
    role: str
    agency: str | None
    kelurahan_code: str | None
    active: bool
    awaiting_first_sign_in: Annotated[bool, Meta(description=(
        "The account has not signed in yet (Cognito's FORCE_CHANGE_PASSWORD): its invitation can be sent again "
        "(`POST …/staff/{username}/resend-invite`)."))] = False
    created_at: str
    updated_at: str


class InvitationResent(Struct, kw_only=True):
    """A staff account's invitation sent again: a new temporary password, valid for the pool's set days."""

    username: str
    delivery: Annotated[Literal["email", "sms"], Meta(description="Where Cognito sends it: the account's e-mail "
                                                                  "address or phone number (its username).")]
    sent_at: str
    entry: StaffEntry
