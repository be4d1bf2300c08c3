"""What quality records and their rows share (core.records.models, fields, querysets)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models

from audits.models import Audit, Finding
from changes.models import ChangeRequest, Deviation
from claims.models import Claim, ClaimComment, EightDStep
from claims.tests.factories import file_claim
from core.records.fields import customer_key, protected_key, user_key
from core.records.models import QualityRecord, RecordRow, record_list_indexes
from core.records.querysets import LimitedForCustomers, RecordQuerySet
from ppap.models import PpapElement, PpapSubmission, ProcessStudy

QUALITY_RECORDS = (Claim, ChangeRequest, Deviation, PpapSubmission, Audit)


# --- foreign keys --------------------------------------------------------------------------------


def test_a_key_protects_what_it_names_and_has_no_reverse_accessor_unless_named():
    part = protected_key("customers.Part", verbose_name="part")
    assert part.remote_field.on_delete is models.PROTECT
    assert part.remote_field.related_name == "+"
    assert customer_key().remote_field.model == "customers.Customer"
    engineer = user_key(related_name="assigned_claims", null=True)
    assert engineer.remote_field.related_name == "assigned_claims"
    assert engineer.null and engineer.remote_field.on_delete is models.PROTECT


# --- the record and its rows ---------------------------------------------------------------------


def test_every_quality_record_is_numbered_owned_by_a_customer_and_made_by_someone():
    for model in QUALITY_RECORDS:
        assert issubclass(model, QualityRecord)
        for name in ("number", "customer", "created_by", "created_at", "updated_at", "version"):
            assert model._meta.get_field(name)
        assert model._meta.get_field("customer").related_model._meta.label == "customers.Customer"


def test_records_are_listed_newest_first_unless_they_say_otherwise():
    for model in (Claim, ChangeRequest, Deviation, PpapSubmission):
        assert model._meta.ordering == ["-created_at", "-pk"]
    assert Audit._meta.ordering == ["-planned_date", "-pk"]  # audits: by their date


def test_a_record_shows_as_its_number_and_links_to_its_page():
    claim = Claim(pk=7, number="CL-2026-00007")
    assert str(claim) == "CL-2026-00007"
    assert claim.get_absolute_url() == "/claims/7/"
    assert Deviation(pk=3).get_absolute_url().endswith("/3/")
    assert Finding(pk=5).get_absolute_url().endswith("/5/")
    assert str(PpapSubmission(number="PP-1", revision=2)) == "PP-1 rev 2"


def test_a_record_in_a_final_status_is_final():
    assert Claim(status=Claim.Status.CLOSED).is_final
    assert not Claim(status=Claim.Status.DRAFT).is_final
    assert Deviation(status=Deviation.Status.EXPIRED).is_final


def test_history_leaves_out_the_bookkeeping_of_writes():
    for model in (Claim, EightDStep, Deviation, PpapElement, Audit, Finding):
        tracked = {field.name for field in model.history.model._meta.fields}
        assert "status" in tracked
        assert not tracked & {"version", "updated_at"}, model


def test_rows_carry_their_record_s_customer():
    for model in (ClaimComment, EightDStep, PpapElement, ProcessStudy):
        assert issubclass(model, RecordRow)
        assert model._meta.get_field("customer").related_model._meta.label == "customers.Customer"
        assert hasattr(model.objects, "visible_to")


def test_list_indexes_are_named_after_the_record():
    names = [index.name for index in record_list_indexes("deviation")]
    assert names == ["", "deviation_newest", "deviation_cust_newest"]
    assert {index.name for index in Deviation._meta.indexes} >= set(names[1:])


# --- querysets -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_customers_see_only_what_the_queryset_lets_them(engineer, user_a, user_b):
    assert issubclass(type(ClaimComment.objects.all()), LimitedForCustomers)
    claim = file_claim(actor=user_a)
    for internal in (False, True):
        ClaimComment.objects.create(
            claim=claim, customer=claim.customer, author=engineer, body="x", internal=internal
        )
    assert ClaimComment.objects.visible_to(engineer).count() == 2
    assert [c.internal for c in ClaimComment.objects.visible_to(user_a)] == [False]
    assert not ClaimComment.objects.visible_to(user_b).exists()
    assert not ClaimComment.objects.visible_to(AnonymousUser()).exists()


@pytest.mark.django_db
def test_a_search_finds_a_term_in_any_search_field_and_a_blank_term_finds_all(user_a):
    assert issubclass(type(Claim.objects.all()), RecordQuerySet)
    claim = file_claim(actor=user_a, customer_reference="QN-4711")
    file_claim(actor=user_a, customer_reference="QN-1234", symptom="Scratch on the cover")
    assert list(Claim.objects.search(" qn-4711 ")) == [claim]
    assert Claim.objects.search("scratch").count() == 1
    assert Claim.objects.search(claim.number).get() == claim
    assert Claim.objects.search("   ").count() == 2
    assert not Claim.objects.search("nothing like it").exists()


@pytest.mark.django_db
def test_open_records_are_those_not_in_a_final_status(user_a):
    claim = file_claim(actor=user_a)
    assert list(Claim.objects.open()) == [claim]
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.CANCELLED)
    assert not Claim.objects.open().exists()
