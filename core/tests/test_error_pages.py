"""The portal's own 400, 403 and 404 pages, and the upload form refusing an upload of no files."""

import json

import pytest
from django.urls import reverse

from claims.tests.factories import file_claim
from core.forms import AttachmentUploadForm


@pytest.mark.django_db
def test_missing_record_shows_the_portal_not_found_page(client_for, engineer):
    response = client_for(engineer).get("/claims/999999/")
    assert response.status_code == 404
    assert "There is no page or record at this address" in response.content.decode()


@pytest.mark.django_db
def test_staff_page_shows_the_portal_not_allowed_page_to_a_customer(client_for, user_a):
    response = client_for(user_a).get(reverse("metrics:delivery-list"))
    assert response.status_code == 403
    assert "Your account is not allowed to open this page" in response.content.decode()


@pytest.mark.django_db
def test_unreadable_upload_shows_the_portal_bad_request_page(client_for, user_a):
    claim = file_claim(actor=user_a)
    client = client_for(user_a)
    boundary = "BoUnDaRy"
    # A part header above Django's 1 KiB limit: the multipart parser refuses the whole request.
    overlong_name = "a" * 2000 + ".png"
    body = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="files"; filename="{overlong_name}"\r\n'
        "Content-Type: image/png\r\n\r\n"
        "x\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    response = client.generic(
        "POST",
        reverse("claims:attachment-add", args=[claim.pk]),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert "could not read what your browser sent" in response.content.decode()


def test_upload_form_without_files_is_refused_with_the_required_message():
    form = AttachmentUploadForm(data={"description": "x"}, files={})
    assert not form.is_valid()
    assert "files" in form.errors


def test_bad_request_page_is_standalone_and_styled(rf):
    from core.views import bad_request

    response = bad_request(rf.get("/claims/1/attachments/"), exception=None)

    assert response.status_code == 400
    assert "stylesheet" in response.content.decode()


def test_bad_request_under_the_api_answers_json(rf):
    from core.views import bad_request

    response = bad_request(rf.post("/api/v1/claims/1/attachments/"), exception=None)

    assert response.status_code == 400
    assert json.loads(response.content)["code"] == "bad_request"
