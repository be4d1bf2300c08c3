import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Action, Attachment
from core.services import attachment_add
from customers.tests.factories import PartFactory

from .conftest import PNG_POLICY, png_bytes, stored_files, upload

pytestmark = [pytest.mark.django_db, pytest.mark.urls("core.tests.urls")]
S = Action.Status


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


class TestActionList:
    def test_fields(self, api_client_for, engineer, part_a, make_action):
        action = make_action(part_a, title="Sort", due_in=-1)
        row = api_client_for(engineer).get("/api/v1/actions/").json()["results"][0]
        assert row["id"] == action.pk
        assert row["owner"] == {"id": engineer.pk, "name": "Erika Engineer"}
        assert row["record_type"] == "customers.part"
        assert row["record_id"] == part_a.pk
        assert row["record_label"] == str(part_a)
        assert row["is_overdue"] is True
        assert row["status"] == "open"
        for field in ("effectiveness_result", "effectiveness_evidence", "completed_at", "kind"):
            assert field in row

    def test_scoped_to_the_customer(self, api_client_for, user_a, part_a, part_b, make_action):
        mine = make_action(part_a)
        make_action(part_b)
        assert _ids(api_client_for(user_a).get("/api/v1/actions/")) == [mine.pk]
        other = Action.objects.exclude(pk=mine.pk).get()
        assert api_client_for(user_a).get(f"/api/v1/actions/{other.pk}/").status_code == 404

    def test_filters(self, api_client_for, engineer, manager, part_a, make_action):
        late = make_action(part_a, due_in=-2)
        soon = make_action(part_a, due_in=3, owner=manager)
        done = make_action(part_a, due_in=-5, status=S.DONE)
        api = api_client_for(engineer)
        assert _ids(api.get("/api/v1/actions/?overdue=true")) == [late.pk]
        assert set(_ids(api.get("/api/v1/actions/?overdue=false"))) == {soon.pk, done.pk}
        assert _ids(api.get("/api/v1/actions/?status=done")) == [done.pk]
        assert _ids(api.get(f"/api/v1/actions/?owner={manager.pk}")) == [soon.pk]
        assert _ids(api.get("/api/v1/actions/?kind=corrective")) == []
        due_after = late.due_date.isoformat()
        assert _ids(api.get(f"/api/v1/actions/?due_after={due_after}")) == [late.pk, soon.pk]
        due_before = late.due_date.isoformat()
        assert _ids(api.get(f"/api/v1/actions/?due_before={due_before}")) == [done.pk, late.pk]

    def test_query_count_independent_of_rows(
        self, api_client_for, engineer, customer_a, customer_b, make_action
    ):
        api = api_client_for(engineer)

        def count(rows):
            Action.objects.all().delete()
            for number in range(rows):
                make_action(PartFactory(customer=customer_a if number % 2 else customer_b))
            with CaptureQueriesContext(connection) as queries:
                assert len(_ids(api.get("/api/v1/actions/"))) == rows
            return len(queries)

        assert count(3) == count(30)


class TestActionTransitions:
    def test_lifecycle(self, api_client_for, engineer, part_a, make_action):
        action = make_action(part_a)
        api = api_client_for(engineer)
        base = f"/api/v1/actions/{action.pk}"
        assert api.post(f"{base}/start/").json()["status"] == "in_progress"
        done = api.post(f"{base}/complete/", {"note": "Sorted"})
        assert done.status_code == 200
        assert done.json()["status"] == "done"
        assert done.json()["completed_at"]
        reopened = api.post(f"{base}/reopen/", {"reason": "Wrong lot"})
        assert reopened.json()["status"] == "in_progress"
        api.post(f"{base}/complete/", {"note": "Sorted right lot"})
        checked = api.post(
            f"{base}/check-effectiveness/", {"effective": True, "evidence": "3 clean deliveries"}
        )
        assert checked.status_code == 200
        assert checked.json()["status"] == "closed"
        assert checked.json()["effectiveness_result"] == "effective"

    def test_invalid_transition_is_409(self, api_client_for, engineer, part_a, make_action):
        action = make_action(part_a, status=S.CLOSED)
        response = api_client_for(engineer).post(f"/api/v1/actions/{action.pk}/start/")
        assert response.status_code == 409
        assert "not possible" in response.json()["detail"]

    def test_missing_input_is_400(self, api_client_for, engineer, part_a, make_action):
        action = make_action(part_a)
        api = api_client_for(engineer)
        assert api.post(f"/api/v1/actions/{action.pk}/complete/", {}).status_code == 400
        blank = api.post(f"/api/v1/actions/{action.pk}/cancel/", {"reason": "  "})
        assert blank.status_code == 400
        action.refresh_from_db()
        assert action.status == S.OPEN

    def test_customer_gets_403(self, api_client_for, user_a, part_a, make_action):
        action = make_action(part_a)
        api = api_client_for(user_a)
        assert api.post(f"/api/v1/actions/{action.pk}/start/").status_code == 403
        assert api.post(f"/api/v1/actions/{action.pk}/cancel/", {}).status_code == 403
        action.refresh_from_db()
        assert action.status == S.OPEN

    def test_other_customer_gets_404(self, api_client_for, user_b, part_a, make_action):
        action = make_action(part_a)
        assert api_client_for(user_b).post(f"/api/v1/actions/{action.pk}/start/").status_code == 404

    def test_no_create_endpoint(self, api_client_for, engineer):
        response = api_client_for(engineer).post("/api/v1/actions/", {"title": "x"})
        assert response.status_code == 405


class TestAttachmentsApi:
    def test_upload_several_and_list(self, api_client_for, engineer, media_root, part_a):
        api = api_client_for(engineer)
        response = api.post(
            f"/api/v1/parts/{part_a.pk}/attachments/",
            {
                "file": [upload("a.png", png_bytes()), upload("b.png", png_bytes(colour="blue"))],
                "description": "Drawing photos",
            },
            format="multipart",
        )
        assert response.status_code == 201, response.content
        rows = response.json()
        assert [r["original_name"] for r in rows] == ["a.png", "b.png"]
        assert rows[0]["sha256"] == hashlib.sha256(png_bytes()).hexdigest()
        assert rows[0]["owner_type"] == "customers.part"
        assert rows[0]["download_url"].endswith(f"/api/v1/attachments/{rows[0]['id']}/download/")
        listed = api.get(f"/api/v1/parts/{part_a.pk}/attachments/").json()
        assert [r["id"] for r in listed] == [r["id"] for r in rows]

    def test_refused_upload_is_400_and_stores_nothing(
        self, api_client_for, engineer, media_root, part_a
    ):
        response = api_client_for(engineer).post(
            f"/api/v1/parts/{part_a.pk}/attachments/",
            {"file": [upload("ok.png", png_bytes()), upload("evil.png", b"MZ\x90\x00" * 64)]},
            format="multipart",
        )
        assert response.status_code == 400
        assert "evil.png" in str(response.json())
        assert Attachment.objects.count() == 0
        assert stored_files(media_root) == []

    def test_upload_hook_may_refuse(self, api_client_for, user_a, media_root, part_a):
        response = api_client_for(user_a).post(
            f"/api/v1/parts/{part_a.pk}/attachments/",
            {"file": [upload("a.png", png_bytes())]},
            format="multipart",
        )
        assert response.status_code == 403

    def test_other_customer_cannot_list_or_upload(self, api_client_for, user_b, media_root, part_a):
        api = api_client_for(user_b)
        assert api.get(f"/api/v1/parts/{part_a.pk}/attachments/").status_code == 404
        response = api.post(
            f"/api/v1/parts/{part_a.pk}/attachments/",
            {"file": [upload("a.png", png_bytes())]},
            format="multipart",
        )
        assert response.status_code == 404

    def test_download_and_detail_are_scoped(
        self, api_client_for, engineer, user_a, user_b, media_root, part_a
    ):
        public = attachment_add(
            owner=part_a, upload=upload("a.png", png_bytes()), actor=engineer, policy=PNG_POLICY
        )
        hidden = attachment_add(
            owner=part_a,
            upload=upload("cost.png", png_bytes()),
            actor=engineer,
            policy=PNG_POLICY,
            internal_only=True,
        )
        response = api_client_for(user_a).get(f"/api/v1/attachments/{public.pk}/download/")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == png_bytes()
        assert _ids(api_client_for(user_a).get("/api/v1/attachments/")) == [public.pk]
        assert api_client_for(user_a).get(f"/api/v1/attachments/{hidden.pk}/").status_code == 404
        for path in (
            f"/api/v1/attachments/{public.pk}/",
            f"/api/v1/attachments/{public.pk}/download/",
        ):
            assert api_client_for(user_b).get(path).status_code == 404
        assert _ids(api_client_for(engineer).get("/api/v1/attachments/")) == [public.pk, hidden.pk]
