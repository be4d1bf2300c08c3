"""Routes of the audits module (audits, findings, catalogues), classified for the isolation sweep.

Merged into ``routes.REGISTRY``; the records the URL parameters come from are built by
``scenario_audits.build`` and kept in ``side.extra``.
"""

from __future__ import annotations

REGISTRY: dict = {}
