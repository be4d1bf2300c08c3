"""Plain-text e-mails about claims, sent only once the change that causes them is committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from .models import ClaimComment, EightDStep


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
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, sorted(recipients))


def send_customer_commented(comment_id: int) -> None:
    comment = ClaimComment.objects.select_related("claim__assigned_engineer", "author").get(
        pk=comment_id
    )
    engineer = comment.claim.assigned_engineer
    if engineer is None or not engineer.email:
        return
    subject = _("%(number)s: new comment from %(author)s") % {
        "number": comment.claim.number,
        "author": comment.author,
    }
    send_mail(subject, comment.body, settings.DEFAULT_FROM_EMAIL, [engineer.email])
