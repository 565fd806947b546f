"""The HTTP contract: every request body, query string and reply, declared
once as a typed model (msgspec).  The API validates requests into these
models and serialises replies from them; ``/openapi.json`` is generated
from them (``chalicelib.api.openapi``).  Services build the reply models.

Request models refuse unknown fields (``forbid_unknown_fields``); reply
models may gain fields over time, so clients must ignore fields they do not
know (the served document does not set ``additionalProperties: false``)."""
