"""Routes of the change requests (ECR/ECN) module, classified for the tenant isolation sweep.

Merged into ``routes.REGISTRY``; the records the URL parameters come from are built by
``scenario_changes.build`` and kept in ``side.extra``.
"""

from __future__ import annotations

REGISTRY: dict = {}
