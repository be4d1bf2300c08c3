"""Plain-text e-mails about claims, sent only once the change that causes them is committed.

Every mail links to the page where the reader acts; links are absolute, built on the
``PORTAL_BASE_URL`` setting because the mails are sent outside a request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .models import ClaimComment, EightDStep


def portal_url(path: str) -> str:
    """``path`` (e.g. ``/claims/7/``) as an absolute address people can open from a mail."""
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}/{path.lstrip('/')}"


def claim_url(claim) -> str:
    return portal_url(reverse("claims:claim-detail", args=[claim.pk]))


def step_url(claim_id: int, code: str) -> str:
    """The discipline's own page, or its row on the claim page where there is no such page."""
    try:
        path = reverse("claims:eightd-step", kwargs={"pk": claim_id, "code": code})
    except NoReverseMatch:
        path = f"{reverse('claims:claim-detail', args=[claim_id])}#step-{code}"
    return portal_url(path)


def step_submitted_after_commit(step_id: int) -> None:
    transaction.on_commit(lambda: send_step_submitted(step_id))


def customer_commented_after_commit(comment_id: int) -> None:
    transaction.on_commit(lambda: send_customer_commented(comment_id))


def customer_recipients(claim) -> set[str]:
    """Who hears from us about a claim: the customer's report recipients and the filer."""
    recipients = set(claim.customer.requirements.recipients)
    if not claim.created_by.is_internal:
        recipients.add(claim.created_by.email)
    return recipients


def send_step_submitted(step_id: int) -> None:
    """Tell the customer a discipline waits for their approval: the filer and report recipients."""
    step = EightDStep.objects.select_related(
        "claim__created_by", "claim__customer__requirements"
    ).get(pk=step_id)
    claim = step.claim
    recipients = customer_recipients(claim)
    if not recipients:
        return
    subject = _("%(number)s: %(step)s submitted for your approval") % {
        "number": claim.number,
        "step": step.get_code_display(),
    }
    body = _(
        "%(step)s of claim %(number)s has been submitted.\n\n%(summary)s\n\n"
        "Please approve it or send it back in the quality portal."
    ) % {"step": step.get_code_display(), "number": claim.number, "summary": step.summary}
    body = f"{body}\n{step_url(claim.pk, step.code)}\n"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, sorted(recipients))


def send_customer_commented(comment_id: int) -> None:
    comment = ClaimComment.objects.select_related("claim__assigned_engineer", "author").get(
        pk=comment_id
    )
    claim = comment.claim
    engineer = claim.assigned_engineer
    if engineer is None or not engineer.email:
        return
    subject = _("%(number)s: new comment from %(author)s") % {
        "number": claim.number,
        "author": comment.author,
    }
    body = f"{comment.body}\n\n{claim_url(claim)}#comments\n"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [engineer.email])
