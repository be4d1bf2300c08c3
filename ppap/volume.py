"""Volume PPAP submissions with their element checklists, warrants, studies and timelines.

Submissions spread over five years on the volume parts (see core.volumes). Older ones are decided
(mostly approved; some rejected, interim approvals that expired, cancelled drafts); the last four
months hold every state, drafts included. Each submission gets the 18 elements of its edition with
the requirement the level matrix gives (``ppap.editions.requirement``, as the service does), and a
warrant prefilled from the part (complete and signed once the submission went out). Numbers
continue each year's ``PPAP`` sequence, and the sequences are moved on.
"""

from __future__ import annotations

from accounts.models import User
from core.volumes import (
    PREFIX,
    Rows,
    VolumeContext,
    delete_rows,
    draws,
    numbered,
    rewind_sequences,
    seed_statements,
)
from customers.volume import CUSTOMER_USER_EMAIL, volume_engineer, volume_parts

from . import editions
from .models import PpapSubmission
from .reasons import SubmissionReason

# Every volume submission hangs off a volume part.
VOLUME_SUBMISSIONS = (
    "part_id IN (SELECT id FROM customers_part WHERE part_number LIKE %(part_prefix)s)"
)
OPEN_WINDOW_DAYS = 120
# Twenty slots: how often each reason of the PSW list is given (new parts most often).
R = SubmissionReason
REASON_SLOTS = [R.INITIAL] * 7 + [
    R.ENGINEERING_CHANGE,
    R.ENGINEERING_CHANGE,
    R.ENGINEERING_CHANGE,
    R.OPTIONAL_CONSTRUCTION,
    R.PROCESSING,
    R.PROCESSING,
    R.TOOLING,
    R.TOOLING,
    R.SUB_SUPPLIER,
    R.CORRECTION,
    R.ADDITIONAL_LOCATION,
    R.TOOLING_INACTIVE,
    R.OTHER,
]
# What a level-4 customer asks to see submitted (the ``*`` cells they tick).
LEVEL4_ELEMENTS = [1, 2, 9, 10, 13, 14, 17]
# The elements a rejecting customer finds fault with (when they are submitted at the level).
REJECTED_ELEMENTS = [9, 13]

_SOURCE = draws(
    "volume_ppap_source",
    rows="submissions",
    moment="created_at",
    columns="random() AS r_status, random() AS r_level, random() AS r_reason, random() AS r_form, "
    "random() AS r_run",
)

# The submissions: state by age, dates of sending and deciding paced so that even a submission
# raised last week has its decision in the past, numbers continuing the year's sequence.
_SUBMISSIONS = Rows(
    "PPAP submissions",
    numbered("created_at")
    + """
           -- 1 for submissions older than 60 days; less for younger ones, so every step of
           -- a recent submission still lies before today.
           least(1, extract(epoch FROM %(now)s::timestamptz - s.created_at) / (60 * 86400))
               AS pace,
           s.r_form < 0.05 AS vda,
           CASE
             WHEN s.created_at < %(now)s::timestamptz - %(open_days)s * interval '1 day' THEN
               CASE WHEN s.r_status < 0.80 THEN 'approved'
                    WHEN s.r_status < 0.87 THEN 'rejected'
                    WHEN s.r_status < 0.93 THEN 'interim_expired' ELSE 'cancelled' END
             ELSE (ARRAY['draft', 'draft', 'submitted', 'submitted', 'approved', 'approved',
                         'interim', 'rejected', 'cancelled'])[1 + floor(s.r_status * 9)::int]
           END AS base_status
    FROM volume_ppap_source s JOIN parts p ON p.k = s.part_k
), staged AS (
    SELECT n.*,
           CASE WHEN n.vda AND n.base_status = 'approved' AND n.r_form < 0.025
                THEN 'approved_deviations' ELSE n.base_status END AS status,
           CASE WHEN n.r_level < 0.82 THEN 3 WHEN n.r_level < 0.90 THEN 2
                WHEN n.r_level < 0.94 THEN 1 WHEN n.r_level < 0.97 THEN 4 ELSE 5 END AS level,
           (%(reasons)s::text[])[1 + floor(n.r_reason * 20)::int] AS reason,
           n.base_status NOT IN ('draft', 'cancelled') AS sent,
           n.base_status NOT IN ('draft', 'cancelled', 'submitted') AS decided,
           n.created_at + 35 * n.pace * interval '1 day' AS sent_time,
           n.created_at + 50 * n.pace * interval '1 day' AS decided_time
    FROM numbered n
)
INSERT INTO ppap_ppapsubmission (
    version, number, revision, is_current, part_revision, reason, reason_detail, level,
    customer_elements, form_set, edition, design_proprietary, due_date, status, internal_note,
    vda_trigger, vda_scope, vda_self_assessment, run_date, run_hours, run_quantity, sent_at,
    decided_at, decision_comment, interim_expires_on, interim_quantity, interim_nonconformities,
    interim_action_plan, risk_assessment, interim_reminded_on, created_at, updated_at, change_id,
    created_by_id, customer_id, decided_by_id, owner_id, part_id
)
SELECT
    1,
    'PPAP-' || st.year || '-' || lpad((st.seq + coalesce(q.last_value, 0))::text, 5, '0'),
    1, true, st.revision, st.reason,
    CASE WHEN st.reason = 'other' THEN 'Customer request after the annual layout inspection'
         ELSE '' END,
    st.level,
    CASE WHEN st.level = 4 THEN %(level4)s::jsonb ELSE '[]'::jsonb END,
    CASE WHEN st.vda THEN 'vda2' ELSE 'aiag' END,
    %(edition)s,
    st.r_form BETWEEN 0.90 AND 0.95,
    (st.created_at + interval '42 days')::date,
    st.status, '',
    CASE WHEN NOT st.vda THEN '' WHEN st.reason = 'initial' THEN 'new_part' ELSE 'change' END,
    CASE WHEN st.vda THEN 'Full sampling of all characteristics, 300 parts.' ELSE '' END,
    CASE WHEN st.vda AND st.sent THEN 'All characteristics within tolerance.' ELSE '' END,
    CASE WHEN st.sent THEN (st.created_at + 28 * st.pace * interval '1 day')::date END,
    CASE WHEN st.sent THEN 8.0 END,
    CASE WHEN st.sent THEN 300 + floor(st.r_run * 200)::int END,
    CASE WHEN st.sent THEN st.sent_time END,
    CASE WHEN st.decided THEN st.decided_time END,
    CASE st.status
      WHEN 'rejected' THEN 'Dimensional report incomplete: 4 of 38 features missing.'
      WHEN 'interim' THEN 'Interim approval until the capability is shown.'
      WHEN 'interim_expired' THEN 'Interim approval until the capability is shown.'
      ELSE '' END,
    CASE st.status
      WHEN 'interim' THEN %(today)s::date + 20 + floor(st.r_run * 60)::int
      WHEN 'interim_expired' THEN (st.decided_time + interval '60 days')::date END,
    CASE WHEN st.status IN ('interim', 'interim_expired') THEN 2000 END,
    CASE WHEN st.status IN ('interim', 'interim_expired')
         THEN 'Surface roughness Ra 1.8 on the sealing face (spec Ra 1.6).' ELSE '' END,
    CASE WHEN st.status IN ('interim', 'interim_expired')
         THEN 'New honing stone and Ra check every 50 parts; full PPAP in eight weeks.'
         ELSE '' END,
    CASE WHEN st.status = 'approved_deviations'
         THEN 'Weld seam 2 mm short on one seam; joint FMEA: no effect on strength.' ELSE '' END,
    NULL,
    st.created_at,
    CASE WHEN st.decided THEN st.decided_time WHEN st.sent THEN st.sent_time
         WHEN st.status = 'cancelled' THEN st.created_at + 10 * st.pace * interval '1 day'
         ELSE st.created_at END,
    NULL,
    %(engineer)s, st.customer_id,
    -- The customer decides; only the first volume customer has a portal user to show for it.
    CASE WHEN st.decided AND st.customer_id = %(customer_user_customer)s
         THEN %(customer_user)s END,
    %(engineer)s, st.part_id
FROM staged st
LEFT JOIN core_sequence q ON q.prefix = 'PPAP' AND q.year = st.year
ORDER BY st.i
""",
)

# The 18 elements of each submission, with the requirement of its level (matrix from Python).
# Their state follows the submission's: worked on in a draft, ready once sent, reviewed once
# decided (submitted elements approved; the faulty ones rejected in a rejected submission).
_ELEMENTS = Rows(
    "PPAP elements",
    f"""
WITH matrix AS (
    SELECT * FROM unnest(%(m_level)s::int[], %(m_proprietary)s::bool[], %(m_number)s::int[],
                         %(m_title)s::text[], %(m_requirement)s::text[])
        AS m(level, proprietary, number, title, requirement)
)
INSERT INTO ppap_ppapelement (
    version, number, title, requirement, due_date, status, not_applicable, na_reason,
    customer_comment, reviewed_at, updated_at, customer_id, owner_id, submission_id
)
SELECT
    1, m.number, m.title, m.requirement, s.due_date, e.status, false, '',
    CASE WHEN e.status = 'rejected' THEN 'Please resubmit with the complete evidence.'
         ELSE '' END,
    CASE WHEN e.status IN ('approved', 'rejected') THEN s.decided_at END,
    s.updated_at, s.customer_id, s.owner_id, s.id
FROM ppap_ppapsubmission s
JOIN matrix m ON m.level = s.level AND m.proprietary = s.design_proprietary
CROSS JOIN LATERAL (SELECT
    CASE
      WHEN s.status IN ('draft', 'cancelled') THEN
        -- A stable pick per element (from the random creation time, not the RNG's order).
        (ARRAY['open', 'open', 'open', 'in_progress', 'in_progress', 'in_progress', 'ready',
               'ready', 'ready', 'ready']
        )[1 + abs(hashtext(s.created_at || '/' || m.number)::bigint) %% 10]
      WHEN s.status = 'submitted' OR m.requirement <> 'submit' THEN 'ready'
      WHEN s.status = 'rejected' AND m.number = ANY(%(rejected_elements)s) THEN 'rejected'
      ELSE 'approved'
    END AS status) e
WHERE s.{VOLUME_SUBMISSIONS}
ORDER BY s.id, m.number
""",
)

# One warrant per submission, prefilled from the part as the service does; complete and signed
# by the time the submission went out.
_WARRANTS = Rows(
    "PPAP warrants",
    f"""
INSERT INTO ppap_warrant (
    version, part_name, customer_part_number, org_part_number, drawing_change_level,
    drawing_date, additional_changes, purchase_order, weight_kg, checking_aid_number,
    checking_aid_level, checking_aid_date, safety_regulation, org_name, org_address,
    customer_name, buyer, application, imds_reported, imds_reference, polymeric_marking,
    dimensional_ok, material_ok, appearance_ok, statistical_ok, results_explanation,
    production_rate, production_hours, signer_name, signer_title, signer_phone, signer_email,
    signed_at, updated_at, customer_id, signed_by_id, submission_id
)
SELECT
    1, p.description, p.customer_part_number, p.part_number, p.revision,
    CASE WHEN w.done THEN (s.created_at - interval '60 days')::date END,
    '', CASE WHEN w.done THEN 'PO-' || s.number ELSE '' END,
    CASE WHEN w.done THEN 1.2480 END,
    '', '', NULL,
    CASE WHEN p.safety_relevant THEN 'yes' WHEN w.done THEN 'no' ELSE '' END,
    CASE WHEN w.done THEN 'CQM Werke GmbH, S-00001' ELSE '' END,
    '', c.name, '', '',
    CASE WHEN w.done THEN 'yes' ELSE '' END,
    CASE WHEN w.done THEN 'IMDS ' || (81000000 + s.part_id) ELSE '' END,
    CASE WHEN w.done THEN 'no' ELSE '' END,
    CASE WHEN w.done THEN 'yes' ELSE '' END,
    CASE WHEN w.done THEN 'yes' ELSE '' END,
    CASE WHEN w.done THEN 'yes' ELSE '' END,
    CASE WHEN w.done THEN 'yes' ELSE '' END,
    '',
    CASE WHEN w.done THEN 400 END,
    CASE WHEN w.done THEN 8.0 END,
    CASE WHEN w.done THEN 'Volume Engineer' ELSE '' END,
    CASE WHEN w.done THEN 'Quality engineer' ELSE '' END,
    '', '',
    CASE WHEN w.done THEN s.sent_at - interval '1 day' END,
    s.updated_at, s.customer_id,
    CASE WHEN w.done THEN %(engineer)s END,
    s.id
FROM ppap_ppapsubmission s
JOIN customers_part p ON p.id = s.part_id
JOIN customers_customer c ON c.id = s.customer_id
CROSS JOIN LATERAL (SELECT s.sent_at IS NOT NULL AS done) w
WHERE s.{VOLUME_SUBMISSIONS}
ORDER BY s.id
""",
)

# Element 11: one preliminary capability study per submission that went out.
_STUDIES = Rows(
    "PPAP studies",
    f"""
INSERT INTO ppap_processstudy (characteristic, study_type, value, created_at, customer_id,
                               submission_id)
SELECT 'Bore Ø42 H7', 'ppk', 1.40 + (abs(hashtext(s.created_at::text)::bigint) %% 80) / 100.0,
       s.sent_at - interval '2 days', s.customer_id, s.id
FROM ppap_ppapsubmission s
WHERE s.{VOLUME_SUBMISSIONS} AND s.sent_at IS NOT NULL
ORDER BY s.id
""",
)

# The timeline: created, sent, the customer's decision, an interim approval's expiry, a cancel.
_EVENTS = Rows(
    "PPAP events",
    f"""
INSERT INTO ppap_ppapevent (action, element_number, from_status, to_status, comment, created_at,
                            actor_id, customer_id, submission_id)
SELECT e.action, NULL, e.from_status, e.to_status, e.comment, e.at,
       CASE WHEN e.action IN ('create', 'send', 'cancel') THEN %(engineer)s
            WHEN e.action = 'expire' THEN NULL ELSE s.decided_by_id END,
       s.customer_id, s.id
FROM ppap_ppapsubmission s
CROSS JOIN LATERAL (VALUES
    ('create', '', 'draft', '', s.created_at),
    (CASE WHEN s.sent_at IS NOT NULL THEN 'send' END, 'draft', 'submitted', '', s.sent_at),
    (CASE s.status WHEN 'approved' THEN 'approve' WHEN 'approved_deviations'
          THEN 'approve_deviations' WHEN 'interim' THEN 'interim' WHEN 'interim_expired'
          THEN 'interim' WHEN 'rejected' THEN 'reject' END,
     'submitted', CASE s.status WHEN 'interim_expired' THEN 'interim' ELSE s.status END,
     s.decision_comment, s.decided_at),
    (CASE WHEN s.status = 'interim_expired' THEN 'expire' END, 'interim', 'interim_expired', '',
     (s.interim_expires_on + 1)::timestamptz),
    (CASE WHEN s.status = 'cancelled' THEN 'cancel' END, 'draft', 'cancelled',
     'Project stopped by the customer', s.updated_at)
) AS e(action, from_status, to_status, comment, at)
WHERE s.{VOLUME_SUBMISSIONS} AND e.action IS NOT NULL
ORDER BY s.id, e.at
""",
)

_SUBMISSION_IDS = f"SELECT id FROM ppap_ppapsubmission WHERE {VOLUME_SUBMISSIONS}"
# Children first; the change module has unlinked its changes by the time this runs.
_RESET = [
    f"DELETE FROM ppap_ppapevent WHERE submission_id IN ({_SUBMISSION_IDS})",
    f"DELETE FROM ppap_processstudy WHERE submission_id IN ({_SUBMISSION_IDS})",
    f"DELETE FROM ppap_warrant WHERE submission_id IN ({_SUBMISSION_IDS})",
    f"DELETE FROM ppap_ppapelement WHERE submission_id IN ({_SUBMISSION_IDS})",
    f"DELETE FROM ppap_ppapsubmission WHERE {VOLUME_SUBMISSIONS}",
]

# Tables this module fills: their planner statistics are refreshed after seeding.
TABLES = [
    "ppap_ppapsubmission",
    "ppap_ppapelement",
    "ppap_warrant",
    "ppap_processstudy",
    "ppap_ppapevent",
]


def exists() -> bool:
    return PpapSubmission.objects.filter(part__part_number__startswith=f"{PREFIX}-").exists()


def seed(ctx: VolumeContext) -> dict[str, int]:
    customer_user = User.objects.get(email=CUSTOMER_USER_EMAIL)
    params = {
        **volume_parts(),
        **ctx.period(),
        "submissions": ctx.count("ppap"),
        "today": ctx.today.isoformat(),
        "open_days": OPEN_WINDOW_DAYS,
        "reasons": [str(reason) for reason in REASON_SLOTS],
        "level4": f"{LEVEL4_ELEMENTS}",
        "edition": editions.DEFAULT_EDITION,
        "engineer": volume_engineer().pk,
        "customer_user": customer_user.pk,
        "customer_user_customer": customer_user.customer_id,
        "rejected_elements": REJECTED_ELEMENTS,
        **_matrix(editions.DEFAULT_EDITION),
    }
    statements = [_SOURCE, _SUBMISSIONS, _ELEMENTS, _WARRANTS, _STUDIES, _EVENTS]
    numbering = ("PPAP", "ppap_ppapsubmission")
    return seed_statements(
        ctx, params, statements, numbering=numbering, scratch="volume_ppap_source"
    )


def reset(ctx: VolumeContext) -> None:
    delete_rows(_RESET, {"part_prefix": f"{PREFIX}-%"})
    rewind_sequences("PPAP", "ppap_ppapsubmission")


def _matrix(edition: str) -> dict[str, list]:
    """Every (level, proprietary, element) with its requirement, from the edition's own rules."""
    rows = [
        (level, proprietary, number, str(title))
        for level in range(1, 6)
        for proprietary in (False, True)
        for number, title in editions.elements(edition).items()
    ]
    return {
        "m_level": [row[0] for row in rows],
        "m_proprietary": [row[1] for row in rows],
        "m_number": [row[2] for row in rows],
        "m_title": [row[3] for row in rows],
        "m_requirement": [
            str(
                editions.requirement(
                    edition,
                    number,
                    level,
                    proprietary=proprietary,
                    customer_elements=LEVEL4_ELEMENTS,
                )
            )
            for level, proprietary, number, _title in rows
        ],
    }
