"""Routes of the training register, classified for the tenant isolation sweep.

The register is internal: every page and endpoint answers any customer user 404, whoever's ids
it is given, exactly as for a record of another customer. Classified as tenant records without
echo (a customer's own call is a 404 too); merged into ``routes.REGISTRY``; the rows the URL
parameters come from are built by ``scenario_training.build`` and kept in ``side.extra``.
"""

from __future__ import annotations

from .routes import GET_ONLY, Access, Route, _of

NOTE = "Internal register: a 404 for every customer user."


def _pk(key: str):
    return _of(pk=lambda side: side.extra[key].pk)


def _internal(kwargs=None, **options) -> Route:
    if kwargs is not None:
        options["kwargs"] = kwargs
    return Route(Access.TENANT_RECORD, echoes=False, note=NOTE, **options)


def _person(side) -> dict:
    return {
        "person": side.extra["training_record"].person_id,
        "name": "Crimping",
        "kind": "8d_moderator",
        "valid_from": "2026-01-01",
        "trained_on": "2026-01-02",
        "skill": side.extra["training_skill"].pk,
        "evidence": "Course",
    }


PAGES = {
    "training:assignment-list": _internal(methods=GET_ONLY),
    "training:requirement-list": _internal(methods=GET_ONLY),
    "training:record-list": _internal(methods=GET_ONLY),
    "training:qualification-list": _internal(methods=GET_ONLY),
    "training:requirement-create": _internal(sample=_person),
    "training:skill-create": _internal(sample=_person),
    "training:record-create": _internal(sample=_person),
    "training:qualification-create": _internal(sample=_person),
    "training:record-detail": _internal(_pk("training_record"), methods=GET_ONLY),
}

API = {
    "training-skill-list": _internal(sample=_person),
    "training-skill-detail": _internal(_pk("training_skill")),
    "training-requirement-list": _internal(sample=_person),
    "training-requirement-detail": _internal(_pk("training_requirement")),
    "training-record-list": _internal(sample=_person),
    "training-record-detail": _internal(_pk("training_record")),
    "training-qualification-list": _internal(sample=_person),
    "training-qualification-detail": _internal(_pk("training_qualification")),
    "training-assignment-list": _internal(),
    "training-assignment-detail": _internal(_pk("training_assignment")),
}

REGISTRY: dict = {**PAGES, **API}
