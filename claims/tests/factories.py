import datetime as dt
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from claims import services
from claims.models import Claim
from customers.tests.factories import PartFactory


def claim_fields(**overrides) -> dict:
    fields = {
        "kind": "0km",
        "detection_location": "line",
        "detection_date": dt.date(2026, 3, 2),
        "symptom": "Burr on the mounting hole, part does not seat",
        "severity": "major",
        "suspect_qty": 500,
        "nonconforming_qty": 12,
        "ppm_qty": 12,
        "customer_reference": "QN-4711",
    }
    fields.update(overrides)
    return fields


def file_claim(*, actor, part=None, customer=None, uploads=(), submit=True, **overrides):
    part = part or PartFactory(customer=customer or actor.customer)
    return services.claim_file(
        actor=actor,
        customer=part.customer,
        part=part,
        uploads=uploads,
        submit=submit,
        **claim_fields(**overrides),
    )


def png_upload(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def exe_upload(name="photo.png"):
    content = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    return SimpleUploadedFile(name, content, content_type="image/png")


# --- a complete 8D answer, discipline by discipline ---------------------------------------------

D2_ANSWERS = {
    **{name: f"{name} answer" for name in ("what", "where", "when", "who", "why", "how")},
    "how_many": "12 of 500",
    **{f"is_{n}": f"is {n}" for n in ("what", "where", "when", "how_big")},
    **{f"is_not_{n}": f"is not {n}" for n in ("what", "where", "when", "how_big")},
}
ROOT_CAUSES = {
    "occurrence": "Punch worn beyond its tool life: no stroke counter on press 4",
    "non_detection": "Burr check not in the control plan for this part family",
}


def fill_step(claim, code: str, actor) -> None:
    """Give discipline ``code`` the content its submit guard needs, through the services."""
    from claims.eightd import services as eightd
    from claims.models import Cause, Containment
    from core.models import Action

    step = claim.steps.get(code=code)
    if code == "D0":
        content = {"emergency_response": "Shipments stopped, stock blocked"}
        services.step_save(step=step, actor=actor, content=content)
    elif code == "D1":
        roles = ["champion", "leader", "member", "member"]
        for number, role in enumerate(roles):
            eightd.team_member_save(claim=claim, actor=actor, name=f"Person {number}", role=role)
    elif code == "D2":
        services.step_save(step=step, actor=actor, content=D2_ANSWERS)
    elif code == "D3":
        for location in Containment.Location.values:
            if location == "own_finished":
                eightd.containment_save(
                    claim=claim,
                    actor=actor,
                    location=location,
                    method="sort",
                    qty_checked=500,
                    qty_nonconforming=3,
                    verification="Second sort found no burr",
                )
            else:
                eightd.containment_save(
                    claim=claim,
                    actor=actor,
                    location=location,
                    not_applicable=True,
                    not_applicable_reason="No stock there",
                )
    elif code == "D4":
        for leg, text in ROOT_CAUSES.items():
            cause = eightd.cause_save(
                claim=claim,
                actor=actor,
                leg=leg,
                category="machine" if leg == "occurrence" else "method",
                description=text,
                whys=["Why 1", "Why 2", "Why 3"],
                is_root_cause=True,
            )
            eightd.cause_verify(
                cause=cause, actor=actor, method="Switched on and off", evidence="Trial 12"
            )
    elif code == "D5":
        for cause in claim.causes.filter(is_root_cause=True, status=Cause.Status.VERIFIED):
            eightd.corrective_action_save(
                claim=claim,
                actor=actor,
                title=f"Remove: {cause.description[:40]}",
                owner=actor,
                due_date=dt.date.today(),
                causes=[cause],
                verification="Trial run of 300 parts without burr",
            )
    elif code == "D6":
        from core import services as core_services

        for link in claim.corrective_actions.filter(action__kind=Action.Kind.CORRECTIVE):
            if link.action.is_open:
                core_services.action_complete(action=link.action, actor=actor, note="Done")
            eightd.corrective_action_implement(
                link=link, actor=actor, implemented_on=dt.date.today(), validation="3 lots OK"
            )
        for row in claim.containments.filter(status=Containment.Status.ACTIVE):
            eightd.containment_remove(containment=row, actor=actor, note="Permanent action works")
    elif code == "D7":
        content = {
            "pfmea": "updated",
            "pfmea_reference": "PFMEA-4711 rev. C",
            "control_plan": "no_update",
            "no_update_reason": "Burr check already in the control plan",
            "read_across_none_reason": "No similar punch in use",
        }
        services.step_save(step=step, actor=actor, content=content)
    elif code == "D8":
        services.step_save(step=step, actor=actor, content={"closure_summary": "8D closed"})


_decided_numbers = itertools.count(1)


def decided_claim(part, day: dt.date, ppm_qty: int, *, actor, kind="0km", **fields) -> Claim:
    """A claim as it stands after our decision on responsibility (accepted unless told)."""
    notified = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    values = {
        "responsibility": Claim.Responsibility.ACCEPTED,
        "status": Claim.Status.CONTAINMENT,
        "suspect_qty": ppm_qty,
        **fields,
    }
    return Claim.objects.create(
        number=f"CL-T-{next(_decided_numbers):05d}",
        customer=part.customer,
        part=part,
        part_revision=part.revision,
        kind=kind,
        detection_location="line" if kind == "0km" else "field_dealer",
        detection_date=day,
        notified_at=notified,
        symptom="Burr",
        severity="major",
        nonconforming_qty=ppm_qty,
        ppm_qty=ppm_qty,
        created_by=actor,
        **values,
    )
