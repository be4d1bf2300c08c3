"""What the demo claims' 8Ds contain: team, problem description, containment, causes, actions.

``EightDWriter(...).fill(code)`` gives one discipline of a demo claim the content a real 8D would
have, through the same services as the editor, so the discipline passes its submit guard;
``partial=True`` leaves the half-done work of a draft. Everything is drawn from the defect's
analysis below and from a random generator seeded with the claim reference and the discipline,
so the demo comes out the same on every run and whatever stage the claim stops in.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from core import services as core_services
from core.models import Action

from . import services
from .eightd import services as eightd
from .models import Cause, Claim, Containment, CorrectiveAction


@dataclass(frozen=True)
class RootCause:
    category: str  # the 6M bone of the Ishikawa board
    whys: tuple[str, ...]  # the 5-Why chain that ends at the cause
    method: str  # how it was verified
    evidence: str


@dataclass(frozen=True)
class Analysis:
    """The part of a defect's 8D that depends on the defect, not on the claim."""

    impact: str  # D2: why is it a problem?
    found_by: str  # D2: how was it found?
    is_where: str
    is_not_where: str
    is_not_what: str
    occurrence: RootCause
    escape: RootCause
    occurrence_action: str
    escape_action: str
    read_across: str  # a similar line or machine with the same risk


ANALYSES = {
    "burr": Analysis(
        "The bracket does not seat on the caliper; the line stops for manual rework.",
        "Assembly operator could not push the guide pin through the bore.",
        "Inlet edge of bore Ø42",
        "Outlet edge of the bore, the two M12 holes",
        "Bore diameter (in tolerance), other bores of the part",
        RootCause("machine", (
            "The burr is raised by a blunt reamer cutting edge.",
            "The reamer had run 2,600 parts; its life is 1,800.",
            "The tool life counter showed 400 parts.",
            "The counter was reset by the restart routine after a machine stop.",
        ), "Reamer swapped on and off: new tool 0 burrs in 50 parts, worn tool 7 in 50",
            "Trial report TR-OP40-11, photos of both cutting edges"),
        RootCause("measurement", (
            "The edge was only checked visually.",
            "The control plan asks for a visual check once per shift.",
            "The burr is 0.2 mm high and not visible under the line lighting.",
        ), "Visual check repeated on 20 limit samples by 3 inspectors",
            "Attribute study AS-26-07: 9 of 60 burrs seen"),
        "Tool life counter kept through machine restarts, stop at 1,800 parts",
        "Go/no-go edge gauge at OP40, every part",
        "Reaming on OP40 of the right-hand bracket (line 2)",
    ),
    "label": Analysis(
        "Mixed revisions cannot be used together; the customer's line had to sort every box.",
        "Incoming scan found two revisions in one box.",
        "Boxes packed on packing station 2 after rework",
        "Boxes packed directly at the end of the line",
        "Part geometry (both revisions to drawing), box quantity",
        RootCause("method", (
            "Old-revision parts were in the box.",
            "Reworked parts of the old revision came back to packing station 2.",
            "The rework area has no separate return route.",
            "The rework flow was not changed when the new revision was released.",
        ), "Material flow traced with the rework log for 3 shifts",
            "Rework log RW-0412: 36 old-revision parts returned on the day"),
        RootCause("method", (
            "The label was printed from the order, not from the parts.",
            "Packing station 2 has no part scanner.",
            "Scanners were only installed on the automatic packing lines.",
        ), "Packing simulated with mixed parts on station 2",
            "Label printed for the new revision in 5 of 5 mixed boxes"),
        "Rework parts return through the quarantine area with a revision check",
        "Scan-to-pack on station 2: every part's revision checked against the label",
        "Manual packing stations 1 and 3 in Heilbronn",
    ),
    "porosity": Analysis(
        "The sealing face leaks; parts fail the customer's end-of-line leak test.",
        "Leak test at 2.5 bar failed at the customer's assembly line.",
        "Sealing face, cavity 2 of die 4",
        "Cavity 1 of die 4; other faces of the part",
        "Dimensions and surface finish (in tolerance)",
        RootCause("machine", (
            "Gas porosity in the sealing face.",
            "Shot vacuum only reached 85 mbar instead of below 50 mbar.",
            "The vacuum valve of cell 2 was leaking.",
            "The valve seal was not in the preventive maintenance plan.",
        ), "Valve replaced and shots with and without the leak compared",
            "X-ray: 11 porous of 40 before, 0 of 40 after"),
        RootCause("measurement", (
            "X-ray sampling did not find the porous parts.",
            "Sampling is 1 part per 4 hours, independent of process alarms.",
            "Vacuum alarms were not linked to quality actions.",
        ), "Alarm log compared with production time of the rejected parts",
            "All rejected parts produced within 40 min after an ignored vacuum alarm"),
        "Vacuum valve seal in the maintenance plan; shot rejected automatically below target",
        "X-ray check of the 10 parts after every vacuum alarm",
        "Die-casting cells 1 and 3 with the same vacuum system",
    ),
    "crack": Analysis(
        "A crack at the radius can grow in service: safety-relevant part.",
        "Magnetic particle inspection at the customer's incoming inspection.",
        "Radius R3 next to the mounting hole",
        "Other radii, the shaft and the flange",
        "Hardness and grain flow away from the radius",
        RootCause("machine", (
            "Material folds at the radius transition.",
            "The die radius was worn down to R2.4.",
            "The die radius was never measured between regrinds.",
            "The die maintenance plan only lists the flash land.",
        ), "Forging trial with the worn and a new die insert",
            "Sections: folds in 4 of 5 parts from the worn die, 0 of 5 from the new"),
        RootCause("measurement", (
            "Our MPI did not find the cracked parts.",
            "MPI is done on 1 part per lot of 2,000.",
            "The frequency was set for a stable die, not for a wearing one.",
        ), "Retained samples of the affected lots tested by MPI",
            "3 of 120 retained samples cracked; none of them were in the lot sample"),
        "Die radius measured every 2,000 strokes, insert changed at R2.8",
        "MPI every hour instead of once per lot",
        "Forging press 2 with the same die family",
    ),
    "thread": Analysis(
        "The screw cannot be tightened to 45 Nm: the joint is not secure.",
        "Torque tool stopped at 30 Nm on the customer's line.",
        "Thread M10 of the central hole",
        "The two M8 threads, other part features",
        "Thread diameter on the go gauge",
        RootCause("machine", (
            "The thread flanks are deformed.",
            "The thread-rolling head was misaligned by 0.15 mm.",
            "Alignment was not checked after the tool change.",
            "There is no first-off release after tool changes on this machine.",
        ), "Rolling head aligned and 50 parts produced before and after",
            "Torque test 45 Nm: 9 of 50 failed before, 0 of 50 after"),
        RootCause("measurement", (
            "The thread gauge passed the damaged parts.",
            "The gauge checks the pitch diameter, not the flank shape.",
            "No torque test is in the control plan.",
        ), "Damaged parts checked with the gauge and a torque test",
            "Gauge passed 10 of 10 damaged parts; torque test failed 10 of 10"),
        "First-off release after every tool change: alignment, thread gauge and torque test",
        "Torque test on 5 parts per hour",
        "Thread rolling machines TR-1 and TR-3",
    ),
    "weld": Analysis(
        "The bracket breaks off at assembly: the part cannot be used.",
        "The bracket broke off when the fitter mounted the hose.",
        "Seam 3 on the bracket side",
        "Seams 1, 2 and 4",
        "Seam position and wire type (to specification)",
        RootCause("machine", (
            "Seam 3 is 30 % too short.",
            "Wire feed slipped during the seam.",
            "The feed rollers were worn.",
            "Roller wear is not monitored on robot cell 5.",
        ), "Rollers swapped, seam length measured on 30 parts each",
            "Seam length 70 % with worn rollers, 100 % with new rollers"),
        RootCause("machine", (
            "The seam camera did not reject the short seams.",
            "The camera was switched off after a false reject.",
            "No rule says who may switch the camera off and for how long.",
        ), "Camera log and short-seam limit samples",
            "Camera off for 6 shifts; limit samples rejected 20 of 20 when it is on"),
        "Wire feed monitoring with a stop on slip; feed rollers changed every 2 weeks",
        "Seam camera back in service; switching it off needs the quality engineer's release",
        "Robot cells 4 and 6 with the same wire feeder",
    ),
    "corrosion": Analysis(
        "Rusty parts cannot be installed; the customer's stock is blocked.",
        "Visual check before installation after 3 weeks in the customer's store.",
        "Surfaces without paint, all parts of the affected boxes",
        "Parts stored less than 10 days; painted surfaces",
        "Geometry and coating thickness of painted areas",
        RootCause("material", (
            "Red rust after 3 weeks of storage.",
            "The rust protection oil was 2 % instead of 5 %.",
            "The oil tank was topped up with water-based cleaner by mistake.",
            "Both tanks look alike and are not labelled at the filling point.",
        ), "Salt-spray test with oil at 2 % and at 5 %",
            "Red rust after 24 h at 2 %, none after 72 h at 5 %"),
        RootCause("method", (
            "Oil concentration was not checked before the parts were packed.",
            "The concentration is measured weekly.",
            "Weekly was thought enough for a stable oil.",
        ), "Concentration records compared with the affected production dates",
            "Last check 6 days before the affected lots"),
        "Tanks labelled and filling points keyed differently",
        "Daily concentration check with a refractometer before packing",
        "Washing and oiling line 2",
    ),
    "dimension": Analysis(
        "The bolt does not fit in the customer's fixture; parts cannot be assembled.",
        "Bolt could not be inserted at the customer's assembly fixture.",
        "Position of hole Ø10.5",
        "Hole diameter, other holes of the part",
        "Flatness, outer contour",
        RootCause("machine", (
            "Hole position is +0.4 mm out.",
            "The part shifts in fixture 12 during piercing.",
            "The locating pin is worn by 0.3 mm.",
            "Pin wear is not in the preventive maintenance plan.",
        ), "Pin replaced and 30 parts measured on the CMM",
            "Position +0.38 mm with the worn pin, +0.05 mm with the new pin"),
        RootCause("measurement", (
            "The drift was not found before shipment.",
            "The hole is measured on the CMM once per shift.",
            "A slow drift stays inside one shift's results.",
        ), "CMM results of the last 4 weeks plotted",
            "Steady drift of 0.02 mm per day visible, no single result alarming"),
        "Locating pin wear check in the maintenance plan; pins changed every 50,000 parts",
        "SPC on the hole position with a control chart at the press",
        "Piercing fixtures 10, 11 and 14",
    ),
    "missing": Analysis(
        "Without the clip the panel rattles: noise complaints from end customers.",
        "Dealer found the clip missing when checking a noise complaint.",
        "Clip position 2 at the rear end of the assembly",
        "Clip positions 1 and 3",
        "Clip type and colour (correct where present)",
        RootCause("machine", (
            "The clip was not fitted.",
            "The clip feeder ran empty for 4 minutes.",
            "The station kept cycling without clips.",
            "The feeder has no low-level alarm linked to the station.",
        ), "Feeder emptied on purpose during a trial",
            "Station cycled 28 times without clips before anyone noticed"),
        RootCause("measurement", (
            "The end-of-line check did not find the missing clip.",
            "The check has no presence sensor for clip position 2.",
            "Position 2 was added in a change without updating the check.",
        ), "Parts without clip run through the end-of-line check",
            "10 of 10 parts without clip passed"),
        "Feeder low-level alarm stops the station",
        "Presence sensor for every clip position in the end-of-line check",
        "Assembly stations with vibratory feeders in hall 3",
    ),
    "paint": Analysis(
        "Paint peeling on the visible side: class A cosmetic defect.",
        "Visual check at the customer's incoming inspection.",
        "Visible side, flat areas",
        "Hidden side and edges",
        "Colour and gloss (in specification)",
        RootCause("milieu", (
            "Paint does not adhere to the surface.",
            "The pre-treatment bath was 8 °C below target.",
            "The bath heater had failed.",
            "Heater failure did not stop the line.",
        ), "Adhesion cross-cut test on panels from a cold and a warm bath",
            "Cross-cut class 4 from the cold bath, class 0 from the warm bath"),
        RootCause("method", (
            "The poor adhesion was not found before shipment.",
            "The cross-cut test is done once per day.",
            "The heater failed after the daily test.",
        ), "Test records compared with the heater log",
            "Heater off for 5 hours after the daily test"),
        "Bath temperature interlock stops the line below target",
        "Cross-cut test at every batch start",
        "Paint line 2, same pre-treatment",
    ),
    "noise": Analysis(
        "A loose bushing rattles: end customers complain and dealers replace the arm.",
        "Dealer workshops replaced arms after rattle complaints.",
        "Bushing seat of the lower arm",
        "Ball joint and other bushings",
        "Bushing rubber hardness and dimensions",
        RootCause("machine", (
            "The bushing moves in its seat.",
            "Press-in force was 4 kN below the minimum.",
            "The press was recalibrated with the wrong reference.",
            "The recalibration procedure has no check part.",
        ), "Press-out force measured on parts before and after recalibration",
            "Press-out force 6.1 kN before, 10.4 kN after (minimum 9 kN)"),
        RootCause("measurement", (
            "The force monitoring did not reject the parts.",
            "The force window was 5–14 kN instead of 9–14 kN.",
            "The window was widened during a ramp-up and never narrowed again.",
        ), "Monitoring window compared with the drawing",
            "Window setting log: changed 14 months ago, no change record"),
        "Recalibration procedure with a check part of known press-in force",
        "Force window set to the drawing limits and locked",
        "Bushing press lines 1 and 2",
    ),
    "hardness": Analysis(
        "Low hardness reduces fatigue strength: safety-relevant part.",
        "Hardness test after a field failure analysis.",
        "Core and surface of the whole part",
        "Parts from other furnace loads",
        "Dimensions, surface condition",
        RootCause("machine", (
            "Hardness is 38 HRC instead of 42–46.",
            "The quench oil was 30 °C too warm.",
            "The cooling pump had failed.",
            "Pump failure was not alarmed.",
        ), "Quench trials at normal and raised oil temperature",
            "38 HRC at 90 °C, 44 HRC at 60 °C"),
        RootCause("measurement", (
            "The soft parts were not found.",
            "Hardness is tested at the end of the batch only.",
            "The pump failed and was repaired within the batch.",
        ), "Furnace log and hardness records compared",
            "Pump failed for 3 hours in the middle of the batch"),
        "Cooling pump monitored, furnace stops on pump failure",
        "Hardness test at the start and end of every batch and after every alarm",
        "Hardening furnaces 1 and 3",
    ),
}  # fmt: skip

# Candidate causes that the analysis ruled out, with the evidence that did it.
RULED_OUT = (
    ("material", "occurrence", "Raw material outside specification",
     "Material certificates of the lot and a check of 5 parts: all within specification."),
    ("man", "occurrence", "New operator on the night shift not yet trained",
     "Defect found on all three shifts at the same rate; training records complete."),
    ("milieu", "occurrence", "High hall temperature during the heat wave",
     "Parts made at 19 °C show the same defect; no correlation with temperature."),
    ("method", "occurrence", "Work instruction outdated after the last drawing change",
     "Work instruction revision matches the current drawing revision."),
    ("measurement", "non_detection", "Gauge out of calibration",
     "Calibration valid; gauge R&R 8 %."),
    ("man", "non_detection", "Inspector did not follow the inspection instruction",
     "Inspection records complete for every shift; instruction followed as written."),
)  # fmt: skip

SYSTEMIC = RootCause(
    "method",
    (
        "The failure mode was not in the PFMEA of this part.",
        "The PFMEA was copied from an older part family.",
        "Lessons learned from earlier claims are not reviewed when a PFMEA is copied.",
    ),
    "PFMEA review with the team",
    "Failure mode missing in the PFMEA although an earlier claim on a similar part named it",
)
SYSTEMIC_CAUSE = "Lessons learned not transferred to the PFMEA of this part family"

TEAM = {
    "HEILBRONN": (
        ("Tobias Richter", "Production supervisor"),
        ("Sabine Krüger", "Process engineer"),
        ("Jens Albrecht", "Maintenance"),
        ("Laura Schneider", "Quality inspection"),
        ("Mehmet Yilmaz", "Tool shop"),
        ("Nina Hofmann", "Logistics"),
    ),
    "BRNO": (
        ("Tomáš Novák", "Production supervisor"),
        ("Petra Horáková", "Process engineer"),
        ("Jan Dvořák", "Maintenance"),
        ("Lenka Svobodová", "Quality inspection"),
        ("Martin Kučera", "Tool shop"),
        ("Eva Procházková", "Logistics"),
    ),
}
DETECTED_BY = {
    "incoming_inspection": "Incoming inspection of {customer}",
    "line": "Assembly operator at {customer}",
    "end_of_line": "End-of-line test at {customer}",
    "field_dealer": "Dealer workshop, reported through the warranty team of {customer}",
}
CONTAINMENT_NOT_APPLICABLE = {
    "in_transit": "No shipment on the way: the last truck arrived before the claim was filed.",
    "service_stock": "The part is not supplied to the service market.",
}
MARKING = "Green dot next to the label, certified by our inspector"


class EightDWriter:
    """Writes the disciplines of one demo claim with its demo engineer and manager."""

    def __init__(self, claim: Claim, defect_key: str, defect, engineer, manager):
        self.claim, self.defect = claim, defect
        self.analysis = ANALYSES[defect_key]
        self.engineer, self.manager = engineer, manager
        self.start = claim.notified_at.date()

    def fill(self, code: str, *, partial: bool = False) -> None:
        self.rng = random.Random(f"{self.claim.customer_reference}-{code}")
        getattr(self, f"_{code.lower()}")(partial)

    def check_effectiveness(self) -> None:
        """After D6: the corrective actions proved effective in series production."""
        rng = random.Random(f"{self.claim.customer_reference}-effectiveness")
        for link in self._links(Action.Kind.CORRECTIVE):
            if link.action.status == Action.Status.DONE:
                core_services.action_check_effectiveness(
                    action=link.action,
                    actor=self.manager,
                    effective=True,
                    evidence=f"No recurrence in {rng.choice((4, 6, 8))} weeks; 0 ppm since.",
                )

    def complete_preventive_actions(self) -> None:
        for link in self._links(Action.Kind.PREVENTIVE):
            if link.action.is_open:
                core_services.action_complete(
                    action=link.action, actor=self.manager, note="Reviewed and released."
                )

    # --- the disciplines -----------------------------------------------------------------------

    def _d0(self, partial: bool) -> None:
        claim = self.claim
        content = {
            "symptom": self.defect.symptom,
            "emergency_response": (
                f"Shipments of {claim.part.part_number} stopped on {self.start:%d %b}; stock "
                f"blocked at {claim.part.plant.city} and in transit. {claim.customer.name} "
                "informed by phone within 2 hours; replacement parts certified by 100 % check."
            ),
        }
        self._save_content("D0", content)

    def _d1(self, partial: bool) -> None:
        members = [
            (str(self.manager), "champion", self.manager.job_title),
            (str(self.engineer), "leader", self.engineer.job_title),
        ]
        pool = TEAM.get(self.claim.part.plant.code, TEAM["HEILBRONN"])
        size = 2 if partial else self.rng.randint(4, 6)
        members += [(name, "member", job) for name, job in self.rng.sample(pool, size - 2)]
        if not partial and size < 6 and self.rng.random() < 0.4:
            members.append((self.claim.customer_contact, "expert", "Customer quality"))
        for name, role, function in members:
            self._write(eightd.team_member_save, name=name, role=role, function=function)

    def _d2(self, partial: bool) -> None:
        claim, analysis = self.claim, self.analysis
        part, customer = claim.part, claim.customer.name
        content = {
            "what": self.defect.symptom,
            "where": (
                f"{claim.get_detection_location_display()} at {customer}; {part.part_number} "
                f"rev. {claim.part_revision} ({part.description})"
            ),
            "when": f"Found on {claim.detection_date:%d %b %Y}; made on "
            f"{claim.production_date:%d %b %Y} (date code {claim.date_code})",
            "who": DETECTED_BY[claim.detection_location].format(customer=customer),
            "why": analysis.impact,
            "how": analysis.found_by,
            "how_many": self._how_many(),
            "is_what": f"{self.defect.label} on {part.part_number}",
            "is_not_what": analysis.is_not_what,
            "is_where": analysis.is_where,
            "is_not_where": analysis.is_not_where,
            "is_when": f"Lot {claim.lot}, date code {claim.date_code}",
            "is_not_when": "Lots made before and after the affected lot",
            "is_how_big": self._how_many(),
            "is_not_how_big": "No other defect types; the rest of the lot is to drawing",
        }
        if partial:
            content = {key: value for key, value in content.items() if not key.startswith("is")}
        self._save_content("D2", content)

    def _how_many(self) -> str:
        claim = self.claim
        if not claim.suspect_qty:
            return "Field returns: 3 vehicles so far; suspect population from production records"
        share = 100 * claim.nonconforming_qty / claim.suspect_qty
        return f"{claim.nonconforming_qty} of {claim.suspect_qty} suspect parts ({share:.1f} %)"

    def _d3(self, partial: bool) -> None:
        locations = Containment.Location.values
        for location in locations[:2] if partial else locations:
            self._contain(location)

    def _contain(self, location: str) -> None:
        claim, rng = self.claim, self.rng
        reason = CONTAINMENT_NOT_APPLICABLE.get(location)
        if location == "service_stock" and claim.kind == "field":
            reason = None  # field parts are also spare parts at the dealers
        if reason and rng.random() < 0.75:
            self._write(
                eightd.containment_save,
                location=location,
                not_applicable=True,
                not_applicable_reason=reason,
            )
            return
        checked = max(claim.suspect_qty // rng.choice((2, 3, 4)), rng.randint(60, 400))
        found = min(checked, rng.randint(0, max(1, claim.nonconforming_qty // 3)))
        if location == "in_transit":
            method, check = "hold", "Truck stopped at the cross-dock, every box checked on arrival"
        else:
            sorter = "our inspectors" if location.startswith("own") else "a sorting service"
            method, check = rng.choice(("sort", "sort", "rework")), f"100 % check by {sorter}"
        self._write(
            eightd.containment_save,
            location=location,
            method=method,
            qty_checked=checked,
            qty_nonconforming=found,
            verification=(
                f"{check}; a second inspector re-checked {rng.choice((20, 50, 100))} released "
                "parts without a finding."
            ),
            certified_marking=MARKING,
            responsible=rng.choice(TEAM.get(claim.part.plant.code, TEAM["HEILBRONN"]))[0],
            started_on=self.start + dt.timedelta(days=rng.randint(0, 1)),
        )

    def _d4(self, partial: bool) -> None:
        analysis, defect, rng = self.analysis, self.defect, self.rng
        for category, leg, text, evidence in rng.sample(RULED_OUT, rng.randint(1, 2)):
            cause = self._cause(leg, category, text)
            if not partial:
                eightd.cause_rule_out(cause=cause, actor=self.engineer, evidence=evidence)
        occurrence = analysis.occurrence
        if partial:  # the occurrence chain is being worked out, nothing verified yet
            self._cause("occurrence", occurrence.category, defect.occurrence, occurrence.whys[:2])
            return
        self._root_cause("occurrence", defect.occurrence, occurrence)
        self._root_cause("non_detection", defect.escape, analysis.escape)
        if rng.random() < 0.5:
            self._root_cause("systemic", SYSTEMIC_CAUSE, SYSTEMIC)

    def _cause(self, leg: str, category: str, text: str, whys=(), root=False) -> Cause:
        return self._write(
            eightd.cause_save,
            leg=leg,
            category=category,
            description=text,
            whys=whys,
            is_root_cause=root,
        )

    def _root_cause(self, leg: str, text: str, root: RootCause) -> None:
        cause = self._cause(leg, root.category, text, root.whys, root=True)
        eightd.cause_verify(
            cause=cause, actor=self.engineer, method=root.method, evidence=root.evidence
        )

    def _d5(self, partial: bool) -> None:
        rng, analysis = self.rng, self.analysis
        causes = {
            cause.leg: cause
            for cause in self.claim.causes.filter(is_root_cause=True, status="verified")
        }
        trial, samples = rng.choice((300, 500, 1000)), rng.choice((30, 50))
        plans = (
            (
                analysis.occurrence_action,
                [causes["occurrence"]],
                self.engineer,
                f"Trial run of {trial} parts with the action in place: no defect found.",
            ),
            (
                analysis.escape_action,
                [causes["non_detection"], *([causes["systemic"]] if "systemic" in causes else [])],
                self.manager if rng.random() < 0.5 else self.engineer,
                f"Attribute study: limit samples with the defect rejected {samples} of {samples}"
                " times.",
            ),
        )
        for number, (title, linked, owner, verification) in enumerate(plans, start=1):
            self._write(
                eightd.corrective_action_save,
                title=title,
                owner=owner,
                due_date=self.start + dt.timedelta(days=14 * number + rng.randint(0, 7)),
                causes=linked,
                verification=verification,
            )

    def _d6(self, partial: bool) -> None:
        links = self._links(Action.Kind.CORRECTIVE)
        for index, link in enumerate(links):
            if partial and index:  # the second action is still being put in place
                core_services.action_start(action=link.action, actor=self.engineer)
                continue
            self._implement(link)
        if partial:
            return
        for row in self.claim.containments.filter(status=Containment.Status.ACTIVE):
            eightd.containment_remove(
                containment=row,
                actor=self.engineer,
                note="Clean point reached: 3 lots after the corrective action without a finding.",
            )

    def _implement(self, link: CorrectiveAction) -> None:
        core_services.action_complete(
            action=link.action, actor=self.engineer, note="In place in series production."
        )
        implemented = min(
            self.start + dt.timedelta(days=self.rng.randint(12, 20)), timezone.localdate()
        )
        eightd.corrective_action_implement(
            link=link,
            actor=self.engineer,
            implemented_on=implemented,
            validation=(
                f"{self.rng.choice((3, 5))} consecutive lots checked 100 % without a finding; "
                f"Cpk {self.rng.choice(('1.67', '1.82', '2.05'))} on the characteristic."
            ),
        )

    def _d7(self, partial: bool) -> None:
        claim, rng = self.claim, self.rng
        plant = claim.part.plant
        done = min(self.start + dt.timedelta(days=rng.randint(25, 35)), timezone.localdate())
        # scope, subject, applicable, measure, completed on (``eightd.READ_ACROSS_FIELDS``)
        rows = [
            ("line", self.analysis.read_across, True, "Same action implemented.", done),
            ("plant", f"Plants other than {plant.city} with the same process", False, "", None),
            ("process", f"{self._commodity()} parts of other customers", True,
             "Failure mode added to the PFMEA of the family.", done),
        ]  # fmt: skip
        for row in rows[:1] if partial else rows:
            fields = dict(zip(eightd.READ_ACROSS_FIELDS, row, strict=True))
            self._write(eightd.read_across_save, **fields)
        content = {"pfmea": "updated", "pfmea_reference": self._document("PFMEA")}
        if not partial:
            content.update(self._control_plan())
            content["lessons_learned"] = (
                f"{self.defect.label}: checks that depend on counters or alarms need a "
                "stop, not just a warning. Shared in the plant quality meeting."
            )
            self._preventive_actions()
        self._save_content("D7", content)

    def _control_plan(self) -> dict:
        if self.rng.random() < 0.7:
            return {"control_plan": "updated", "control_plan_reference": self._document("CP")}
        return {
            "control_plan": "no_update",
            "no_update_reason": "The new check is a machine interlock already listed as a "
            "process parameter in the control plan.",
        }

    def _document(self, kind: str) -> str:
        return f"{kind}-{self.claim.part.part_number} rev. {self.rng.choice('DEFG')}"

    def _preventive_actions(self) -> None:
        systemic = list(self.claim.causes.filter(leg="systemic", is_root_cause=True))
        self._write(
            eightd.corrective_action_save,
            kind=Action.Kind.PREVENTIVE,
            title=f"Review the PFMEAs of all {self._commodity().lower()} parts",
            owner=self.manager,
            due_date=self.start + dt.timedelta(days=60),
            causes=systemic,
        )
        if self.rng.random() < 0.4:
            self._write(
                eightd.corrective_action_save,
                kind=Action.Kind.PREVENTIVE,
                title="Agree the cost of the new checks with purchasing",
                owner=self.manager,
                due_date=self.start + dt.timedelta(days=45),
                internal_only=True,
            )

    def _d8(self, partial: bool) -> None:
        content = {
            "closure_summary": (
                f"All corrective actions implemented and effective; {self.claim.part.part_number}"
                " shipped without findings since. Containment lifted at every location."
            ),
            "team_recognition": "Thanks to the team for the quick containment and the "
            "thorough analysis on the shop floor.",
        }
        self._save_content("D8", content)

    # --- helpers -------------------------------------------------------------------------------

    def _write(self, service, **fields):
        """One of the ``claims.eightd`` services on this claim, by its engineer."""
        return service(claim=self.claim, actor=self.engineer, **fields)

    def _save_content(self, code: str, content: dict) -> None:
        step = self.claim.steps.get(code=code)
        services.step_save(step=step, actor=self.engineer, content=content)

    def _commodity(self) -> str:
        return self.claim.part.commodity or "Similar"

    def _links(self, kind: str) -> list[CorrectiveAction]:
        links = self.claim.corrective_actions.select_related("action")
        return list(links.filter(action__kind=kind).order_by("pk"))
