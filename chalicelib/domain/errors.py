"""Errors the domain and the services raise; the API turns them into
``{"error": {"code", "message"}}`` responses (``chalicelib.api.endpoint``)."""
from __future__ import annotations


class AppError(Exception):
    """A failure the caller can act on.  ``code`` names a message in
    ``chalicelib.domain.i18n.MESSAGES``; ``params`` fill its placeholders."""

    status = 400

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.details: dict[str, object] = {}


class InvalidInput(AppError):
    status = 400


class Unauthorized(AppError):
    status = 401


class Forbidden(AppError):
    status = 403


class NotFound(AppError):
    status = 404


class Conflict(AppError):
    status = 409


class Unprocessable(AppError):
    status = 422


class TooManyRequests(AppError):
    """A rate limit: ``retry_after`` seconds until the window ends."""

    status = 429

    def __init__(self, code: str, retry_after: int, **params: object) -> None:
        super().__init__(code, **params)
        self.retry_after = retry_after


class PayloadTooLarge(AppError):
    status = 413
