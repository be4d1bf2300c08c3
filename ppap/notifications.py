"""Plain-text e-mails about PPAP submissions, sent by tasks after the change is committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User

from .models import PpapSubmission


def submission_url(submission) -> str:
    path = submission.get_absolute_url()
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}/{path.lstrip('/')}"


def customer_recipients(submission) -> list[str]:
    """The customer's report recipients and their active portal users."""
    recipients = set(submission.customer.requirements.recipients)
    users = User.objects.filter(customer_id=submission.customer_id, is_active=True)
    recipients.update(email for email in users.values_list("email", flat=True) if email)
    return sorted(recipients)


def our_recipients(submission) -> list[str]:
    people = [submission.owner, submission.created_by]
    return sorted({p.email for p in people if p is not None and p.email})


def _load(submission_id: int) -> PpapSubmission:
    return PpapSubmission.objects.select_related(
        "customer__requirements", "part", "owner", "created_by"
    ).get(pk=submission_id)


def send_submitted(submission_id: int) -> None:
    submission = _load(submission_id)
    recipients = customer_recipients(submission)
    if not recipients:
        return
    subject = _("%(number)s: PPAP for part %(part)s submitted for your decision") % {
        "number": submission.label,
        "part": submission.part.customer_part_number,
    }
    body = _("Please review the elements and decide on the submission in the quality portal.")
    send_mail(
        subject,
        f"{body}\n{submission_url(submission)}\n",
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )


def send_decided(submission_id: int) -> None:
    submission = _load(submission_id)
    recipients = our_recipients(submission)
    if not recipients:
        return
    subject = _("%(number)s: %(status)s") % {
        "number": submission.label,
        "status": submission.get_status_display(),
    }
    body = f"{submission.decision_comment}\n\n{submission_url(submission)}\n"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def send_interim_reminder(submission_id: int) -> None:
    submission = _load(submission_id)
    recipients = sorted({*our_recipients(submission), *customer_recipients(submission)})
    if not recipients:
        return
    subject = _("%(number)s: interim approval expires on %(date)s") % {
        "number": submission.label,
        "date": date_format(submission.interim_expires_on, "SHORT_DATE_FORMAT"),
    }
    body = _("A resubmission is needed to reach full approval before the interim approval ends.")
    send_mail(
        subject,
        f"{body}\n{submission_url(submission)}\n",
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )
