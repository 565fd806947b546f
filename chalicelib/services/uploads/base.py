"""The pipeline's one interface: a ``Channel`` (what an upload is attached
to) with its ``Kind`` (what the bytes must be), where its keys are
(``Layout``), and the outcomes it records."""
from __future__ import annotations

import functools
import re
from typing import Any, Mapping, Protocol

import msgspec

from ... import resources


class Rejected(Exception):
    """The bytes are not what the upload was granted for; ``code`` (with
    ``params``) is the reason recorded and shown."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class File(msgspec.Struct, frozen=True):
    """One object the pipeline writes."""

    key: str
    body: bytes
    content_type: str
    disposition: str | None = None


class Cleaned(msgspec.Struct, frozen=True):
    """What a kind made of the bytes: the objects to keep and the fields
    recorded about them (``key``, ``content_type``, ``bytes``, and for a
    photo ``thumb_key``, ``width``, ``height``)."""

    files: list[File]
    fields: dict[str, Any]

    @property
    def stored_bytes(self) -> int:
        return sum(len(f.body) for f in self.files)


class Kind(Protocol):
    """What an upload's bytes must be."""

    @property
    def folder(self) -> str:
        """Where the kept copies go: ``photos``, ``documents``."""
        ...

    @property
    def max_bytes(self) -> int: ...

    @property
    def too_large(self) -> str:
        """The reason code of an upload over ``max_bytes``."""
        ...

    @property
    def extensions(self) -> Mapping[str, str]:
        """Admitted content type -> file extension."""
        ...

    def extension(self, content_type: str) -> str:
        """The extension of an admitted content type; ``InvalidInput``
        otherwise."""
        ...

    def clean(self, data: bytes, extension: str, base: str) -> Cleaned:
        """The copies to keep under ``base`` (a key without extension);
        ``Rejected`` when the bytes are not of this kind."""
        ...


class Layout(msgspec.Struct, frozen=True):
    """Where a channel's raw uploads are: ``uploads/<folder>/<owner>/<sub><upload>.<ext>``."""

    folder: str
    extensions: tuple[str, ...]
    sub: str = ""

    @property
    def pattern(self) -> re.Pattern[str]:
        """Matches this layout's keys (compiled on first use, then cached)."""
        return _key_pattern(self.folder, self.extensions, self.sub)

    def key(self, owner_id: str, upload_id: str, extension: str) -> str:
        return f"{resources.UPLOAD_PREFIX}{self.folder}/{owner_id}/{self.sub}{upload_id}.{extension}"

    def parse(self, key: str) -> tuple[str, str, str] | None:
        """``(owner_id, upload_id, extension)`` of one of this layout's keys."""
        match = self.pattern.match(key)
        return (match["owner"], match["upload"], match["ext"]) if match else None


@functools.lru_cache(maxsize=None)
def _key_pattern(folder: str, extensions: tuple[str, ...], sub: str) -> re.Pattern[str]:
    exts = "|".join(re.escape(e) for e in extensions)
    return re.compile(
        "^" + re.escape(f"{resources.UPLOAD_PREFIX}{folder}/") + r"(?P<owner>[0-9a-f]{32})/"
        + re.escape(sub) + rf"(?P<upload>[0-9a-f]{{32}})\.(?P<ext>{exts})$")


class Attached(msgspec.Struct, frozen=True):
    """What an upload is attached to, as read: its region, whether this
    upload was handled already, and what was granted for it (who asked, a
    document's title and type, whether a photo is evidence)."""

    region_id: str
    handled: bool
    grant: Mapping[str, Any]


class Accepted(msgspec.Struct, frozen=True):
    """A clean copy kept: the record (``id``, ``at`` and the kind's
    fields) and how many bytes were stored."""

    record: dict[str, Any]
    stored_bytes: int


class Refused(msgspec.Struct, frozen=True):
    """An upload refused: the reason code and the record shown (``id``,
    ``reason_code``, ``reason``, ``bytes``, ``at``)."""

    code: str
    record: dict[str, Any]


class Channel(Protocol):
    """What an upload is attached to: a report or a project, with one kind
    of file.  The pipeline talks to every channel through these."""

    @property
    def name(self) -> str: ...

    @property
    def folder(self) -> str:
        """``reports``, ``projects``: under uploads/, photos/, documents/."""
        ...

    @property
    def kind(self) -> Kind: ...

    @property
    def layout(self) -> Layout: ...

    @property
    def unknown(self) -> str:
        """The outcome when the owner (or the grant) is not there."""
        ...

    def reserve(self, owner_id: str, upload_id: str, details: Mapping[str, Any]) -> None:
        """Take one of the owner's upload slots for a grant (``NotFound``,
        ``Conflict`` when they are all taken)."""
        ...

    def open(self, owner_id: str, upload_id: str) -> Attached | None:
        """The owner as read, or None when it (or this upload's grant) is
        unknown."""
        ...

    def record(self, owner_id: str, upload_id: str, attached: Attached, outcome: Accepted | Refused) -> bool:
        """Record the outcome on the owner, once; False if it was already."""
        ...
