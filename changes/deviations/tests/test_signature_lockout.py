"""Wrong signature passwords count towards the sign-in lockout (django-axes), like sign-ins."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD
from changes.models import Deviation
from core.lockout import lockout_message
from core.models import Signature

from .factories import requested_deviation

pytestmark = pytest.mark.django_db
ADDRESS = "198.51.100.7"
ELSEWHERE = "203.0.113.20"


def _approve(api, deviation, password, address=ADDRESS):
    url = f"/api/v1/deviations/{deviation.pk}/approve/"
    return api.post(url, {"password": password}, format="json", REMOTE_ADDR=address)


def _sign_in(client, email, password=DEFAULT_PASSWORD, address=ADDRESS):
    url = reverse("accounts:login")
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=address)


def test_the_message_counts_down_the_tries_left(engineer, customer_a, user_a, api_client_for):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    api = api_client_for(user_a)

    messages = [_approve(api, deviation, "wrong").json()["password"][0] for _ in range(4)]

    assert "4 attempts left before the account is locked for 15 minutes" in messages[0]
    assert "2 attempts left before the account is locked for 15 minutes" in messages[2]
    assert "1 attempt left before the account is locked for 15 minutes" in messages[3]
    assert AccessAttempt.objects.get().failures_since_start == 4


def test_five_wrong_signatures_lock_like_five_wrong_sign_ins(
    client, engineer, customer_a, user_a, api_client_for
):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    api = api_client_for(user_a)
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        answers = [_approve(api, deviation, "wrong") for _ in range(5)]
        assert all(answer.status_code == 400 for answer in answers)
        assert answers[-1].json()["password"] == [lockout_message()]

        # Locked: the right password neither signs nor signs in, at this address.
        refused = _approve(api, deviation, DEFAULT_PASSWORD)
        assert refused.status_code == 400
        assert refused.json()["password"] == [lockout_message()]
        assert _sign_in(client, user_a.email).status_code == 429
        assert Deviation.objects.get(pk=deviation.pk).status == "requested"
        assert not Signature.objects.for_owner(deviation).exists()
        # The lock holds one account at one address, as for sign-in.
        assert _approve(api, deviation, "wrong", address=ELSEWHERE).status_code == 400

    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert _approve(api, deviation, DEFAULT_PASSWORD).json()["password"] == [lockout_message()]

    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        signed = _approve(api, deviation, DEFAULT_PASSWORD)
        assert signed.status_code == 200, signed.json()
        assert Signature.objects.for_owner(deviation).count() == 1


def test_wrong_sign_ins_count_towards_the_signature_lock(
    client, engineer, customer_a, user_a, api_client_for
):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    for _ in range(3):
        _sign_in(client, user_a.email, "wrong")

    answer = _approve(api_client_for(user_a), deviation, "wrong")

    assert "1 attempt left" in answer.json()["password"][0]


def test_a_correct_signature_resets_no_failure_count(engineer, customer_a, user_a, api_client_for):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    api = api_client_for(user_a)
    _approve(api, deviation, "wrong")

    assert _approve(api, deviation, DEFAULT_PASSWORD).status_code == 200

    assert AccessAttempt.objects.get().failures_since_start == 1
