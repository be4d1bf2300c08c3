"""One customer's audits and findings: the isolation sweep keeps them in ``side.extra``."""

from __future__ import annotations


def build(side, *, engineer, manager) -> None:
    """Create one record of every kind of the module for ``side`` through the real services."""
