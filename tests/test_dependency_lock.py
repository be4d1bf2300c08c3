"""requirements/lock.txt, which `make install` installs, satisfies pyproject.toml.

A dependency added to or raised in pyproject.toml without `make lock` fails here, not on the next
fresh machine. The lock also names the hash of every file it allows.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker, default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
# "name==version ; marker \" (the marker only where the pin holds for some Pythons).
PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)(?:\s*;\s*(?P<marker>[^\\]+))?"
)


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(line) for line in project["dependencies"]] + [
        Requirement(line) for line in project["optional-dependencies"]["dev"]
    ]


def _locked() -> dict[str, list[tuple[str, str | None, int]]]:
    """Each locked name: (version, marker, number of hashes) per entry (one per Python range)."""
    entries: dict[str, list] = {}
    current = None
    for line in (ROOT / "requirements" / "lock.txt").read_text().splitlines():
        if match := PIN.match(line):
            marker = match["marker"].strip() if match["marker"] else None
            current = [match["version"], marker, 0]
            entries.setdefault(canonicalize_name(match["name"]), []).append(current)
        elif line.strip().startswith("--hash=sha256:") and current is not None:
            current[2] += 1
    return {name: [tuple(entry) for entry in pins] for name, pins in entries.items()}


def _version_here(pins) -> str | None:
    environment = default_environment()
    for version, marker, _hashes in pins:
        if marker is None or Marker(marker).evaluate(environment):
            return version
    return None


@pytest.mark.parametrize("requirement", _declared(), ids=str)
def test_every_declared_dependency_is_locked_at_a_version_it_allows(requirement):
    pins = _locked().get(canonicalize_name(requirement.name))
    assert pins, f"{requirement.name} is not in requirements/lock.txt: run `make lock`"
    version = _version_here(pins)
    assert version and requirement.specifier.contains(version, prereleases=True), (
        f"requirements/lock.txt pins {requirement.name} {version}, pyproject.toml asks for "
        f"{requirement.specifier}: run `make lock`"
    )


def test_every_locked_file_has_a_hash():
    unhashed = [name for name, pins in _locked().items() if any(p[2] == 0 for p in pins)]
    assert not unhashed
