"""Volume claims with their 8D steps, timeline events and corrective actions (see core.volumes).

Claims spread evenly over five years. Older claims are closed (a few rejected or cancelled); the
last four months hold every open status, so lists, traffic lights and KPIs have real work to do.
Numbers continue each year's ``core.numbering`` sequence, and the sequences are moved on, so
claims filed afterwards get the next free number.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from core.volumes import (
    PREFIX,
    Rows,
    VolumeContext,
    corrective_actions,
    draws,
    numbered,
    rewind_sequences,
    seed_statements,
)
from customers.volume import volume_engineer, volume_parts

from .models import Claim

# Every volume claim hangs off a volume part.
VOLUME_CLAIMS = "part_id IN (SELECT id FROM customers_part WHERE part_number LIKE %(part_prefix)s)"
OPEN_WINDOW_DAYS = 120
SYMPTOMS = [
    "Burr on the mounting hole",
    "Thread damaged, screw does not engage",
    "Dimension out of tolerance at datum B",
    "Corrosion on the flange after salt spray",
    "Wrong part revision delivered",
    "Crack in the weld seam",
    "Label missing on the box",
    "Paint blistering on the visible surface",
    "Connector pin bent",
    "Rattle noise in the door module",
]
# Days after notification each discipline is due (D0–D8): a typical customer's deadlines.
STEP_DUE_DAYS = [1, 1, 1, 1, 10, 30, 30, 60, 60]

_SOURCE = draws(
    "volume_claim_source",
    rows="claims",
    moment="notified_at",
    columns="random() AS r_status, random() AS r_kind, random() AS r_severity, random() AS r_qty, "
    "random() AS r_text",
)

_CLAIMS = Rows(
    "claims",
    numbered("notified_at")
    + """
           CASE
             WHEN s.notified_at < %(now)s::timestamptz - %(open_days)s * interval '1 day' THEN
               CASE WHEN s.r_status < 0.82 THEN 'closed'
                    WHEN s.r_status < 0.93 THEN 'rejected' ELSE 'cancelled' END
             ELSE (ARRAY['submitted', 'acknowledged', 'under_review', 'containment',
                         'root_cause', 'corrective_action', 'prevention',
                         'customer_evaluation', 'closed', 'rejected']
                  )[1 + floor(s.r_status * 10)::int]
           END AS status
    FROM volume_claim_source s JOIN parts p ON p.k = s.part_k
), staged AS (
    SELECT n.*, 1 + floor(n.r_qty * 200)::int AS suspect,
           CASE WHEN n.status IN ('closed', 'rejected', 'cancelled')
                THEN n.notified_at + interval '25 days' END AS final_at
    FROM numbered n
)
INSERT INTO claims_claim (
    number, part_revision, kind, customer_reference, detection_location, detection_date,
    notified_at, symptom, severity, suspect_qty, nonconforming_qty, ppm_qty, lot, batch, serial,
    date_code, production_date, customer_contact, status, acknowledged_at, reaction_at,
    responsibility, rejection_code, rejection_reason, closed_at, created_at, updated_at,
    assigned_engineer_id, created_by_id, customer_id, part_id, defect_source, version
)
SELECT
    'CL-' || st.year || '-' || lpad((st.seq + coalesce(q.last_value, 0))::text, 5, '0'),
    st.revision,
    CASE WHEN st.r_kind < 0.75 THEN '0km' ELSE 'field' END,
    'CR-' || st.i,
    (ARRAY['incoming_inspection', 'line', 'end_of_line', 'field_dealer']
    )[1 + floor(st.r_kind * 4)::int],
    (st.notified_at - interval '1 day')::date,
    st.notified_at,
    (%(symptoms)s::text[])[1 + floor(st.r_text * 10)::int]
        || ' (lot L' || (st.i %% 9973) || ')',
    (ARRAY['minor', 'minor', 'major', 'major', 'critical', 'safety']
    )[1 + floor(st.r_severity * 6)::int],
    st.suspect,
    st.suspect / 4,
    st.suspect / 4,
    'L' || (st.i %% 9973), '', '', '', NULL, 'Incoming inspection',
    st.status,
    CASE WHEN st.status <> 'submitted' THEN st.notified_at + interval '4 hours' END,
    CASE WHEN st.status NOT IN ('submitted', 'acknowledged', 'under_review', 'containment')
         THEN st.notified_at + interval '1 day' END,
    CASE st.status WHEN 'closed' THEN 'accepted' WHEN 'rejected' THEN 'rejected'
         WHEN 'submitted' THEN '' WHEN 'acknowledged' THEN '' WHEN 'under_review' THEN ''
         WHEN 'cancelled' THEN '' ELSE 'accepted' END,
    CASE WHEN st.status = 'rejected' THEN 'not_our_responsibility' ELSE '' END,
    CASE WHEN st.status = 'rejected' THEN 'Parts damaged in customer handling.' ELSE '' END,
    st.final_at,
    st.notified_at,
    coalesce(st.final_at, st.notified_at),
    %(engineer)s, %(engineer)s, st.customer_id, st.part_id,
    CASE WHEN st.status = 'closed' THEN
      (ARRAY['manufacturing', 'manufacturing', 'supplier_material', 'design', 'logistics',
             'software'])[1 + floor(st.r_text * 6)::int]
    ELSE '' END,
    1
FROM staged st
LEFT JOIN core_sequence q ON q.prefix = 'CL' AND q.year = st.year
ORDER BY st.i
""",
)

# How many disciplines of a claim in each status are answered; the rest are still open.
_ANSWERED = """
CASE c.status WHEN 'closed' THEN 9 WHEN 'customer_evaluation' THEN 9 WHEN 'prevention' THEN 7
     WHEN 'corrective_action' THEN 5 WHEN 'root_cause' THEN 4 WHEN 'rejected' THEN 0
     ELSE 0 END
"""

_STEPS = Rows(
    "8D steps",
    f"""
INSERT INTO claims_eightdstep (
    code, status, content, summary, internal_note, due_at, submitted_at, decided_at,
    decision_comment, updated_at, claim_id, customer_id, decided_by_id, submitted_by_id, version
)
SELECT
    'D' || d,
    CASE WHEN d >= {_ANSWERED} THEN 'open'
         WHEN c.status = 'customer_evaluation' AND d = 8 THEN 'submitted'
         ELSE 'approved' END,
    CASE WHEN d < {_ANSWERED} AND d = 2 THEN jsonb_build_object(
             'what', c.symptom, 'where', c.detection_location, 'how_many',
             c.nonconforming_qty::text || ' of ' || c.suspect_qty::text)
         WHEN d < {_ANSWERED} AND d = 8 THEN jsonb_build_object(
             'closure_summary', 'Corrective actions verified effective over three lots.')
         ELSE '{{}}'::jsonb END,
    CASE WHEN d < {_ANSWERED}
         THEN (ARRAY['Team nominated', 'Emergency response started', 'Problem described (5W2H)',
                     'Stock sorted at all locations', 'Root cause verified by trial',
                     'Poka-yoke chosen', 'Poka-yoke installed and validated',
                     'PFMEA and control plan updated', 'Closed, lessons learned shared'])[d + 1]
         ELSE '' END,
    '',
    c.notified_at + (%(due_days)s::int[])[d + 1] * interval '1 day',
    CASE WHEN d < {_ANSWERED} THEN c.notified_at + (d + 1) * interval '2 days' END,
    CASE WHEN d < {_ANSWERED} THEN c.notified_at + (d + 1) * interval '2 days 3 hours' END,
    '',
    c.updated_at, c.id, c.customer_id,
    CASE WHEN d < {_ANSWERED} THEN %(engineer)s END,
    CASE WHEN d < {_ANSWERED} THEN %(engineer)s END,
    1
FROM claims_claim c CROSS JOIN generate_series(0, 8) d
WHERE c.{VOLUME_CLAIMS} AND c.status <> 'submitted'
ORDER BY c.id, d
""",
)

_EVENTS = Rows(
    "claim events",
    f"""
INSERT INTO claims_claimevent (
    action, step_code, from_status, to_status, comment, created_at, actor_id, claim_id, customer_id
)
SELECT e.action, '', e.from_status, e.to_status, '', e.at, %(engineer)s, c.id, c.customer_id
FROM claims_claim c
CROSS JOIN LATERAL (VALUES
    ('file', '', 'submitted', c.notified_at),
    (CASE c.status WHEN 'closed' THEN 'customer_accept_8d' WHEN 'rejected'
          THEN 'reject_responsibility' WHEN 'cancelled' THEN 'cancel' END,
     'under_review', c.status, c.closed_at)
) AS e(action, from_status, to_status, at)
WHERE c.{VOLUME_CLAIMS} AND e.action IS NOT NULL
ORDER BY c.id, e.at
""",
)

_ACTIONS = Rows(
    "actions",
    corrective_actions(
        "c",
        title="'Corrective action for ' || c.number",
        description="'Remove the verified root cause.'",
        due="(c.notified_at + interval '30 days')::date",
        created="c.notified_at + interval '5 days'",
        done="'Implemented on all lines.'",
        evidence="'No recurrence in three months.'",
        content_type="claim_type",
        rest=f"""
FROM claims_claim c
WHERE c.{VOLUME_CLAIMS}
  AND c.status IN ('corrective_action', 'prevention', 'customer_evaluation', 'closed')
ORDER BY c.id
""",
    ),
)

# Tables this module fills: their planner statistics are refreshed after seeding.
TABLES = ["claims_claim", "claims_eightdstep", "claims_claimevent", "core_action"]


def exists() -> bool:
    return Claim.objects.filter(part__part_number__startswith=f"{PREFIX}-").exists()


def seed(ctx: VolumeContext) -> dict[str, int]:
    params = {
        **volume_parts(),
        **ctx.period(),
        "claims": ctx.count("claims"),
        "open_days": OPEN_WINDOW_DAYS,
        "symptoms": SYMPTOMS,
        "engineer": volume_engineer().pk,
        "due_days": STEP_DUE_DAYS,
        "claim_type": ContentType.objects.get_for_model(Claim).pk,
    }
    statements = [_SOURCE, _CLAIMS, _STEPS, _EVENTS, _ACTIONS]
    numbering = ("CL", "claims_claim")
    return seed_statements(
        ctx, params, statements, numbering=numbering, scratch="volume_claim_source"
    )


def reset(ctx: VolumeContext) -> None:
    params = {"part_prefix": f"{PREFIX}-%"}
    claim_ids = f"SELECT id FROM claims_claim WHERE {VOLUME_CLAIMS}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM core_action WHERE content_type_id = %(claim_type)s "
            f"AND object_id IN ({claim_ids})",
            {**params, "claim_type": ContentType.objects.get_for_model(Claim).pk},
        )
        _delete_tree(cursor, Claim, f"id IN ({claim_ids})", params)
    rewind_sequences("CL", "claims_claim")


def _delete_tree(cursor, model, where: str, params: dict) -> None:
    """Delete the rows matching ``where`` and, first, every row that cascades from them."""
    table = model._meta.db_table
    for relation in model._meta.related_objects:
        if relation.on_delete is not models.CASCADE or relation.many_to_many:
            continue
        child_where = (
            f"{relation.field.column} IN (SELECT {model._meta.pk.column} FROM {table} "
            f"WHERE {where})"
        )
        _delete_tree(cursor, relation.related_model, child_where, params)
    cursor.execute(f"DELETE FROM {table} WHERE {where}", params)
