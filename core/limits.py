"""Size limits on what a client can send, in one place (DESIGN §11: everything has a limit).

Text lengths are counted in characters and apply to models (``max_length`` on ``TextField``),
which gives ModelForms and DRF ModelSerializers the same check and the OpenAPI schema its
``maxLength``. Fields declared by hand on forms and serializers use the same constants.

The request body limits themselves are settings (``API_MAX_BODY_BYTES`` …, see
``core.api.parsers``); the defaults live here so settings and tests agree.
"""

from __future__ import annotations

# --- Free text (characters) ---------------------------------------------------------------------
# Descriptions, root causes, assessments, comments: a few pages of text at most.
LONG_TEXT = 10_000
# Comments on a record, decision comments, reasons given with a transition.
COMMENT = 10_000
# Short notes: a reason for cancelling, why something does not apply, a removal note.
NOTE = 2_000
# Lists typed one entry a line (lot numbers, e-mail recipients), addresses.
LIST_TEXT = 5_000

# A timeline or review comment as a PDF shows it (the full text stays in the portal): keeps the
# heaviest document within its time bound (core/pdf.py).
PDF_EXCERPT = 1_000

# --- Structured free text (JSON fields) ---------------------------------------------------------
# One field of an 8D step's structured content (D2 problem description, D7, D8): unknown keys are
# refused, so the whole document is bounded by its form's fields times this.
EIGHTD_CONTENT_TEXT = 4_000
# The 5-Why chain of a cause: this many answers at most, each at most WHY_TEXT characters.
MAX_WHYS = 10
WHY_TEXT = NOTE

# --- Request bodies (bytes) ---------------------------------------------------------------------
# A JSON or form body sent to the API.
API_MAX_BODY_BYTES = 1024 * 1024
# The bulk delivery import (up to 50,000 rows) as JSON.
API_MAX_BULK_BODY_BYTES = 20 * 1024 * 1024
# How deep JSON may nest: objects and lists within each other.
JSON_MAX_DEPTH = 32
