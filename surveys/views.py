"""Survey pages: templates, campaigns and their results for our staff; answering for customers.

Reads go through ``visible_to``: another customer's campaign, claim or personal link is a 404.
Pages only staff use check the capability before any record is read (403 for customer users).
Writes go through ``surveys.services``; domain errors become messages and change nothing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.selectors import visible_claims
from core.errors import Conflict, DomainError
from core.forms import add_service_errors
from core.history import timeline
from core.pages import (
    ListPage,
    PageTransitions,
    form_page,
    require_capability,
    run_service,
    save_form,
)
from core.routes import Routes
from core.tenancy import is_internal
from customers.models import Customer

from . import defaults, selectors, services
from .filters import CampaignListFilter
from .forms import CampaignForm, RatingForm, ScheduleForm
from .models import Campaign, SurveySchedule, SurveyTemplate
from .workflow import ANSWER, CAMPAIGN_WORKFLOW, MANAGE, VIEW

CAMPAIGN_SERVICES = {
    "open": services.campaign_open,
    "close": services.campaign_close,
    "invite": services.campaign_invite,
}
CAMPAIGN_TRANSITIONS = PageTransitions(CAMPAIGN_SERVICES, "campaign")
CAMPAIGN_LIST = ListPage("surveys/campaign_list.html", CampaignListFilter, "campaigns")
routes = Routes()


# --- staff: templates, campaigns, results --------------------------------------------------------


@routes.get("")
def campaign_list(request):
    require_capability(request.user, VIEW)
    extra = {"can_manage": request.user.has_capability(MANAGE)}
    return CAMPAIGN_LIST.render(request, selectors.campaigns_for_list(request.user), extra)


@routes.form("new/")
def campaign_create(request):
    require_capability(request.user, MANAGE)
    today = timezone.localdate()
    initial = {"opens_on": today, "closes_on": today + dt.timedelta(days=27)}
    form = CampaignForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        services.campaign_create,
        template="surveys/campaign_form.html",
        context={"has_templates": SurveyTemplate.objects.filter(is_active=True).exists()},
        message=lambda campaign: _("Campaign %s planned.") % campaign.number,
    )


@routes.get("<int:pk>/")
def campaign_detail(request, pk):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user).with_related(), pk=pk)
    user = request.user
    if not is_internal(user):
        return _customer_campaign(request, campaign)
    names = CAMPAIGN_WORKFLOW.allowed(campaign.status, user)
    if campaign.is_open and user.has_capability(MANAGE):
        names.append("invite")
    context = {
        "campaign": campaign,
        "results": selectors.campaign_results(campaign),
        "actions": [{"name": name, "label": _action_label(name)} for name in names],
        "events": campaign.events.select_related("actor")[:50],
        "history": timeline(campaign),
    }
    return render(request, "surveys/campaign_detail.html", context)


def _action_label(name: str) -> str:
    if name == "invite":
        return _("Invite new colleagues")
    return str(CAMPAIGN_WORKFLOW[name].label)


def _customer_campaign(request, campaign: Campaign):
    """A customer's user sees the campaign, whether they are asked and what they answered."""
    invitation = campaign.invitations.filter(user=request.user).first()
    response = campaign.responses.filter(user=request.user).first()
    answers = selectors.answers_by_question(response)
    questions = list(campaign.template.questions.order_by("position"))
    context = {
        "campaign": campaign,
        "invitation": invitation,
        "response": response,
        "rows": [(question, answers.get(question.pk)) for question in questions],
        "takes_answers": campaign.is_open and campaign.closes_on >= timezone.localdate(),
    }
    return render(request, "surveys/campaign_customer.html", context)


@routes.post("<int:pk>/do/<slug:action>/")
def campaign_transition(request, pk, action):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    return CAMPAIGN_TRANSITIONS.run(request, campaign, action)


@routes.get("customers/<int:customer_pk>/")
def customer_results(request, customer_pk):
    """CSAT and NPS of each of one customer's campaigns: the results over time."""
    require_capability(request.user, VIEW)
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_pk)
    rows = selectors.customer_trend(customer)
    return render(request, "surveys/customer_results.html", {"customer": customer, "rows": rows})


@routes.get("templates/")
def template_list(request):
    require_capability(request.user, VIEW)
    templates = list(selectors.templates_for_list())
    context = {
        "templates": templates,
        "offer_standard": request.user.has_capability(MANAGE)
        and not any(template.name == defaults.NAME for template in templates),
    }
    return render(request, "surveys/template_list.html", context)


@routes.post("templates/standard/")
def template_standard(request):
    require_capability(request.user, MANAGE)
    outcome = run_service(
        request,
        services.template_create_standard,
        actor=request.user,
        success_message=_("The standard questionnaire is ready."),
    )
    return redirect(outcome.result if outcome else "surveys:template-list")


@routes.get("templates/<int:pk>/")
def template_detail(request, pk):
    require_capability(request.user, VIEW)
    template = get_object_or_404(SurveyTemplate, pk=pk)
    questions = template.questions.order_by("position")
    return render(
        request, "surveys/template_detail.html", {"template": template, "questions": questions}
    )


@routes.form("schedules/")
def schedule_list(request):
    """How often each customer is asked; managers set a customer's schedule here."""
    require_capability(request.user, VIEW)
    form = ScheduleForm(request.POST or None, user=request.user)
    if request.method == "POST":
        require_capability(request.user, MANAGE)
        if form.is_valid() and save_form(
            request, form, services.schedule_save, actor=request.user, **form.service_fields()
        ):
            messages.success(request, _("Schedule saved."))
            return redirect("surveys:schedule-list")
    schedules = SurveySchedule.objects.select_related("customer", "template").order_by(
        "customer__name"
    )
    context = {
        "form": form,
        "schedules": schedules,
        "can_manage": request.user.has_capability(MANAGE),
    }
    return render(
        request, "surveys/schedule_list.html", context, status=400 if form.errors else 200
    )


# --- customers: their surveys and answers --------------------------------------------------------


@routes.get("mine/")
def my_surveys(request):
    """A customer user's surveys: the open ones to answer and the answers they gave."""
    if is_internal(request.user):
        return redirect("surveys:campaign-list")
    context = {
        "invitations": selectors.open_invitations(request.user),
        "responses": selectors.responses_of(request.user),
    }
    return render(request, "surveys/my_surveys.html", context)


@routes.form("answer/<str:token>/")
def answer(request, token):
    """The personal link: only the invited user, signed in, reaches it (anyone else: 404)."""
    invitation = selectors.invitation_for(request.user, token)
    if invitation is None:
        raise Http404
    campaign = invitation.campaign
    questions = list(campaign.template.questions.order_by("position"))
    response = campaign.responses.filter(user=request.user).first()
    saved = selectors.answers_by_question(response)
    values = {question.pk: _shown_value(question, saved.get(question.pk)) for question in questions}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        given = {question.pk: request.POST.get(f"q{question.pk}", "") for question in questions}
        values.update(given)
        try:
            services.response_submit(campaign=campaign, actor=request.user, answers=given)
        except ValidationError as error:
            errors = {key: " ".join(texts) for key, texts in error.message_dict.items()}
            status = 400
        except Conflict as error:
            messages.error(request, error.message)
            status = 409
        except DomainError as error:
            messages.error(request, error.message)
            status = 403
        else:
            messages.success(
                request,
                _("Thank you! You can change your answers until the survey closes."),
            )
            return redirect("surveys:answer", token=token)
    context = {
        "campaign": campaign,
        "invitation": invitation,
        "response": response,
        "questions": [
            (question, values.get(question.pk, ""), errors.get(f"q{question.pk}", ""))
            for question in questions
        ],
        "general_error": errors.get("answers", ""),
        "takes_answers": campaign.is_open and campaign.closes_on >= timezone.localdate(),
    }
    return render(request, "surveys/answer.html", context, status=status)


def _shown_value(question, answer) -> str:
    if answer is None:
        return ""
    if question.is_text:
        return answer.text
    value = answer.choice if question.is_choice else answer.value
    return "" if value is None else str(value)


# --- 8D rating -----------------------------------------------------------------------------------


@routes.form("claims/<int:claim_id>/rate/")
def claim_rate(request, claim_id):
    """The customer rates the 8D they accepted or rejected; our staff read the ratings."""
    claim = get_object_or_404(visible_claims(request.user).select_related("customer"), pk=claim_id)
    user = request.user
    ratings = selectors.ratings_of(claim, user)
    if is_internal(user):
        if request.method == "POST":
            raise HttpForbidden
        return render(request, "surveys/claim_rate.html", {"claim": claim, "ratings": ratings})
    if not user.has_capability(ANSWER):
        raise HttpForbidden
    state = selectors.rating_state(claim)
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.eight_d_rate(claim=claim, actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            messages.error(request, error.message)
            status = 409 if isinstance(error, Conflict) else 400
        else:
            messages.success(request, _("Thank you for rating the 8D."))
            return redirect(claim)
    if form.is_bound and form.errors:
        status = 400
    context = {"claim": claim, "ratings": ratings, "state": state, "form": form}
    return render(request, "surveys/claim_rate.html", context, status=status)
