"""The register over the API and on its pages: staff only (customer users get 404 on every
route), the audit guard's 400, and list query counts that do not grow with the rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from audits.tests.factories import process
from documents.tests.factories import effective, new_document

from .. import services
from ..models import Assignment
from .factories import qualification

pytestmark = pytest.mark.django_db
BASE = "/api/v1/training/"
API_LISTS = ["skills/", "requirements/", "records/", "qualifications/", "assignments/"]
PAGES = [
    "training:assignment-list",
    "training:requirement-list",
    "training:requirement-create",
    "training:skill-create",
    "training:record-list",
    "training:record-create",
    "training:qualification-list",
    "training:qualification-create",
]


@pytest.fixture
def revision(engineer, manager):
    return effective(new_document(actor=engineer), author=engineer, approver=manager)


def _records(engineer, count: int, people=None, *, revision) -> None:
    """``count`` rows of each kind (for ``people``, else for new people)."""
    people = people or [UserFactory() for _number in range(count)]
    skill = services.skill_create(actor=engineer, name=f"Crimping {people[0].pk}")
    for number, person in enumerate(people[:count]):
        services.requirement_create(actor=engineer, person=person, skill=skill)
        services.training_record_create(
            actor=engineer,
            person=person,
            skill=skill,
            trained_on=timezone.localdate(),
            trainer=engineer,
            evidence=f"Course {number}",
        )
        qualification(actor=engineer, person=person, kind="8d_moderator")
        Assignment.objects.create(person=person, revision=revision, due_on=timezone.localdate())


def test_customer_users_get_404_on_every_route(
    revision, engineer, user_a, api_client_for, client_for
):
    _records(engineer, 1, revision=revision)
    record = engineer.training_records.model.objects.first()
    api = api_client_for(user_a)
    for path in API_LISTS:
        assert api.get(BASE + path).status_code == 404, path
    assert api.get(f"{BASE}records/{record.pk}/").status_code == 404
    assert api.post(BASE + "skills/", {"name": "X"}, format="json").status_code == 404
    page = client_for(user_a)
    for name in PAGES:
        assert page.get(reverse(name)).status_code == 404, name
    assert page.get(reverse("training:record-detail", args=[record.pk])).status_code == 404


def test_staff_read_the_register(revision, engineer, api_client_for, client_for):
    _records(engineer, 2, revision=revision)
    api = api_client_for(engineer)
    assert api.get(BASE + "records/").json()["count"] == 2
    page = client_for(engineer)
    for name in PAGES:
        assert page.get(reverse(name)).status_code == 200, name
    record = engineer.training_records.model.objects.first()
    detail = page.get(reverse("training:record-detail", args=[record.pk]))
    assert "Course" in detail.content.decode()


@pytest.mark.parametrize("path", API_LISTS)
def test_api_list_query_count_does_not_grow_with_rows(revision, engineer, api_client_for, path):
    api = api_client_for(engineer)
    people = [UserFactory() for _number in range(7)]
    _records(engineer, 1, people[:1], revision=revision)
    api.get(BASE + path)  # counts are cached until the data changes: compare warm pages
    with CaptureQueriesContext(connection) as few:
        assert api.get(BASE + path).status_code == 200
    _records(engineer, 6, people[1:], revision=revision)
    api.get(BASE + path)
    with CaptureQueriesContext(connection) as many:
        assert api.get(BASE + path).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "name",
    [
        "training:record-list",
        "training:qualification-list",
        "training:requirement-list",
        "training:assignment-list",
    ],
)
def test_page_query_count_does_not_grow_with_rows(revision, engineer, client_for, name):
    page = client_for(engineer)
    people = [UserFactory() for _number in range(7)]
    _records(engineer, 1, people[:1], revision=revision)
    page.get(reverse(name))
    with CaptureQueriesContext(connection) as few:
        assert page.get(reverse(name)).status_code == 200
    _records(engineer, 6, people[1:], revision=revision)
    page.get(reverse(name))
    with CaptureQueriesContext(connection) as many:
        assert page.get(reverse(name)).status_code == 200
    assert len(many) == len(few)


def test_planning_over_the_api_with_an_expired_qualification_is_a_400(
    engineer, manager, api_client_for
):
    auditor = UserFactory(full_name="Erika Prüfer")
    qualification(
        actor=engineer,
        person=auditor,
        valid_from=dt.date(2024, 1, 1),
        valid_until=dt.date(2027, 2, 1),
    )
    answer = api_client_for(manager).post(
        "/api/v1/audits/",
        {
            "type": "process",
            "title": "Process audit pressing",
            "process": process().pk,
            "planned_date": "2027-03-12",
            "lead_auditor": auditor.pk,
        },
        format="json",
    )
    assert answer.status_code == 400, answer.json()
    assert answer.json() == {
        "lead_auditor": [
            "Erika Prüfer has no valid VDA 6.3 process auditor qualification on 12 Mar 2027 "
            "(expired 1 Feb 2027)."
        ]
    }


def test_recording_a_qualification_on_the_page(engineer, client_for):
    person = UserFactory()
    answer = client_for(engineer).post(
        reverse("training:qualification-create"),
        {
            "person": person.pk,
            "kind": "8d_moderator",
            "valid_from": "2026-01-01",
            "valid_until": "2028-01-01",
            "evidence": "Course certificate",
        },
    )
    assert answer.status_code == 302
    assert person.qualifications.get().kind == "8d_moderator"


def test_my_training_on_the_home_and_the_list_of_mine(revision, engineer, client_for):
    other = UserFactory()
    Assignment.objects.create(person=engineer, revision=revision, due_on=timezone.localdate())
    Assignment.objects.create(person=other, revision=revision, due_on=timezone.localdate())
    qualification(
        actor=engineer,
        person=engineer,
        kind="8d_moderator",
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )
    page = client_for(engineer)
    home = page.get("/").content.decode()
    assert "My training due" in home
    assert "My qualifications expiring within 60 days" in home
    mine = page.get(reverse("training:assignment-list"), {"mine": "on"})
    assert list(mine.context["assignments"]) == [engineer.training_assignments.get()]


def test_staff_record_a_qualification_and_a_matrix_row_over_the_api(engineer, api_client_for):
    api = api_client_for(engineer)
    person = UserFactory()
    created = api.post(
        BASE + "qualifications/",
        {
            "person": person.pk,
            "kind": "iso9001_internal_auditor",
            "valid_from": "2026-01-01",
            "evidence": "Course certificate",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["recorded_by"] == engineer.pk
    skill = api.post(BASE + "skills/", {"name": "Crimping"}, format="json").json()
    row = api.post(
        BASE + "requirements/",
        {"role": "engineer", "skill": skill["id"], "level": 3},
        format="json",
    )
    assert row.status_code == 201, row.json()
    refused = api.post(BASE + "requirements/", {"skill": skill["id"], "level": 3}, format="json")
    assert refused.status_code == 400
