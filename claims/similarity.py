"""Repeat failures (REFERENCE §1, VDA) and similar claims shown on the claim page.

A claim repeats a closed earlier one when its part was produced after the earlier claim's
corrective action was implemented: the latest ``implemented_on`` recorded in D6 among the corrective
actions that remove a verified root cause. The day D6 was approved in the portal says nothing about
the parts: it often comes weeks after the change on the line.

Symptoms are compared by word overlap (Jaccard index over lower-cased words of at least three
letters without stop words), in Python over a bounded set of recent candidates: one or two queries
per claim page, never one per candidate. How much overlap counts, and how far back similar claims
are looked for, is agreed per customer (``CustomerRequirements``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from core import data_version
from core.models import Action
from customers.models import Part

from .models import Cause, Claim, CorrectiveAction

MAX_CANDIDATES = 200


class Reason(models.TextChoices):
    """Why a claim is listed as similar (the API gives the value, the page the label)."""

    SAME_PART = "same_part", _("same part")
    SIMILAR_SYMPTOM = "similar_symptom", _("similar symptom")


_WORD = re.compile(r"[^\W\d_]{3,}")
_STOP_WORDS_TEXT = """
    the and for are was were not but with without from this that these those has have had
    into onto than then there their they them its our out off too very can could should would
    all any some per via after before during while when where which who why how does did done
    part parts
    der die das den dem des und oder ist sind war waren nicht ein eine einer eines einem einen
    mit ohne von vom zum zur bei beim auf aus für über unter nach vor wie was wer wird wurde
    auch als noch nur sich bis teil teile
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@dataclass(frozen=True)
class SimilarClaim:
    claim: Claim
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Thresholds:
    """The customer's agreement: a repeat needs "the same symptom", a similar one is a hint."""

    repeat: float
    similar: float
    lookback: dt.timedelta

    @classmethod
    def of(cls, claim: Claim) -> Thresholds:
        requirements = claim.customer.requirements
        return cls(
            repeat=requirements.repeat_symptom_percent / 100,
            similar=requirements.similar_symptom_percent / 100,
            lookback=dt.timedelta(days=requirements.similar_lookback_days),
        )


def symptom_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall((text or "").lower()) if w not in STOP_WORDS)


def symptom_similarity(a: str | frozenset[str], b: str | frozenset[str]) -> float:
    """Jaccard index of the two symptoms' words: 0 (nothing shared) to 1 (the same words)."""
    words_a = a if isinstance(a, frozenset) else symptom_words(a)
    words_b = b if isinstance(b, frozenset) else symptom_words(b)
    if not words_a or not words_b:
        return 0.0
    return len(words_a & words_b) / len(words_a | words_b)


# --- repeat failure ------------------------------------------------------------------------------


def repeat_failures_of(claim: Claim, user) -> list[Claim]:
    """The closed earlier claims this one repeats that ``user`` may see, latest implemented first.

    Same customer and customer part number, same symptom, the earlier claim closed, and the failed
    part produced after the earlier claim's corrective action was implemented (see
    ``_corrective_action_implemented_on``). Without a production date nothing can be proven: the
    claim is then at most "similar".
    """
    if claim.production_date is None:
        return []
    words = symptom_words(claim.symptom)
    threshold = Thresholds.of(claim).repeat
    return [
        earlier
        for earlier in _closed_same_part_implemented_before(claim, user)
        if symptom_similarity(words, symptom_words(earlier.symptom)) >= threshold
    ]


def _corrective_action_implemented_on() -> Subquery:
    """The day the corrective action of the claim ``OuterRef("pk")`` was implemented, or NULL.

    Counted are the claim's corrective actions (not preventive ones, not cancelled ones) that remove
    at least one verified root cause; an action on a suspected or ruled-out cause changes nothing
    about the failure. The latest of their D6 implementation dates decides. While one of them has
    no implementation date the action is not in place: it sorts first and the answer is NULL.
    """
    removing_root_causes = (
        CorrectiveAction.objects.filter(
            claim=OuterRef("pk"),
            action__kind=Action.Kind.CORRECTIVE,
            causes__is_root_cause=True,
            causes__status=Cause.Status.VERIFIED,
        )
        .exclude(action__status=Action.Status.CANCELLED)
        .order_by(F("implemented_on").desc(nulls_first=True))
    )
    return Subquery(removing_root_causes.values("implemented_on")[:1])


def _closed_same_part_implemented_before(claim: Claim, user) -> QuerySet[Claim]:
    return (
        Claim.objects.visible_to(user)
        .filter(
            customer_id=claim.customer_id,
            status=Claim.Status.CLOSED,
            part__customer_part_number__iexact=claim.part.customer_part_number,
            notified_at__lt=claim.notified_at,
        )
        .exclude(pk=claim.pk)
        .annotate(implemented_on=_corrective_action_implemented_on())
        .filter(implemented_on__lt=claim.production_date)
        .select_related("part")
        .order_by("-implemented_on", "-pk")[:MAX_CANDIDATES]
    )


# --- similar claims ------------------------------------------------------------------------------


def similar_claims(claim: Claim, user, limit: int = 5) -> list[SimilarClaim]:
    """Other claims of the same customer on the same part (any revision) or with a similar symptom.

    Only claims filed within the customer's look-back before this one (or later); scoped through
    ``visible_to(user)``; newest first.
    """
    thresholds = Thresholds.of(claim)
    same_part = _same_part_q(claim)
    candidates = (
        Claim.objects.visible_to(user)
        .filter(
            customer_id=claim.customer_id, created_at__gte=claim.created_at - thresholds.lookback
        )
        .exclude(pk=claim.pk)
        .exclude(status__in=(Claim.Status.DRAFT, Claim.Status.CANCELLED))
        .select_related("part", "customer")
        .order_by("-created_at", "-pk")
    )
    by_part = list(candidates.filter(same_part)[:limit])
    words = symptom_words(claim.symptom)
    threshold = thresholds.similar
    # Only the symptoms of the other candidates are compared: loading up to 200 whole claims with
    # their part and customer cost more than the rest of the claim page at volume.
    symptoms = candidates.exclude(same_part).values_list("pk", "symptom")[:MAX_CANDIDATES]
    matching = [
        pk
        for pk, symptom in symptoms
        if symptom_similarity(words, symptom_words(symptom)) >= threshold
    ][:limit]  # newest first: no older match can make it into the result
    others = list(candidates.filter(pk__in=matching)) if matching else []
    found = [_with_reasons(other, words, threshold, same=True) for other in by_part]
    found += [_with_reasons(other, words, threshold, same=False) for other in others]
    found.sort(key=lambda item: (item.claim.created_at, item.claim.pk), reverse=True)
    return found[:limit]


def _same_part_q(claim: Claim) -> Q:
    """The claim's part and the customer's other revisions of it.

    As ``part_id IN (parts …)`` the condition is answered from the claims' part index; an ``OR``
    across the join to the parts made PostgreSQL walk every claim of the customer in the
    look-back window.
    """
    part = claim.part
    same = Q(pk=part.pk)
    if part.customer_part_number:
        same |= Q(
            customer_id=part.customer_id, customer_part_number__iexact=part.customer_part_number
        )
    return Q(part_id__in=Part.objects.filter(same).values("pk"))


def _with_reasons(
    other: Claim, words: frozenset[str], threshold: float, *, same: bool
) -> SimilarClaim:
    reasons = [Reason.SAME_PART] if same else []
    if symptom_similarity(words, symptom_words(other.symptom)) >= threshold:
        reasons.append(Reason.SIMILAR_SYMPTOM)
    return SimilarClaim(other, tuple(reasons))


def claim_page_context(claim: Claim, user) -> dict:
    """What the claim page shows: the claims this one repeats, and similar claims.

    ``repeat_of`` is the repeated claim whose corrective action was implemented last (the page's
    alert names it), ``repeated_claims`` all of them. Comparing the symptoms of up to 200 claims is
    the claim page's largest cost, and the answer changes only with the data: it is computed once
    per data version (``core.data_version``).
    """

    def compute() -> dict:
        repeated = repeat_failures_of(claim, user)
        return {
            "repeat_of": repeated[0] if repeated else None,
            "repeated_claims": repeated,
            "similar_claims": similar_claims(claim, user),
        }

    return data_version.cached("claim-similar", (claim.pk, user.pk), compute)
