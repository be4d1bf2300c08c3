"""Routes of the deviations and concessions module, classified for the tenant isolation sweep.

Merged into ``routes.REGISTRY``; the records the URL parameters come from are built by
``scenario_deviations.build`` and kept in ``side.extra``.
"""

from __future__ import annotations

REGISTRY: dict = {}
