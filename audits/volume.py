"""Volume audits: a programme per year, processes, audits of every type, answers and findings.

Audits spread over the five years (and the next two months of the programme). Past ones are
closed (a few cancelled), the last weeks hold audits in progress and reports in draft, the coming
ones are planned or in preparation. Process audits, ours and the customers' of us, are scored
against a VDA 6.3 catalogue (the first active one, or a volume copy of the shipped example when
there is none), every question and P6 step answered once the audit is conducted; closed ones keep
the result and grade the real scoring gives. System, product and certification audits carry no
catalogue (as in the demo). About a third of the conducted audits have findings, on their
lowest-scored questions; nonconformities answered have their corrective action.

Volume audits are recognisable by the ``VOL`` prefix of their title, their processes by the prefix
of their name. Internal audits name no customer (a database constraint): only customer audits
belong to a volume customer; product audits hang off volume parts. Numbers continue each year's
``AUD`` sequence (the year of the planned date, as the service does), and the sequences are moved
on.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from accounts.models import User
from core.volumes import (
    PREFIX,
    Rows,
    VolumeContext,
    corrective_actions,
    delete_rows,
    rewind_sequences,
    seed_statements,
)
from customers.volume import CUSTOMER_USER_EMAIL, volume_engineer

from . import catalogues, scoring, services
from .models import Answer, Audit, Catalogue, Finding, Question

TITLE_PREFIX = f"{PREFIX} "
CUSTOMER_PATTERN = f"^{PREFIX}[0-9]{{2,}}$"
CATALOGUE_NAME = f"{PREFIX} process audit (VDA 6.3 structure)"
PROGRAMME_TITLE = f"{PREFIX} audit programme"
AHEAD_DAYS = 60  # the programme plans this far beyond today
RECENT_DAYS = 45  # audits planned this recently may still be conducted or reported
FINDINGS_SETTLED_DAYS = 120  # findings of audits older than this are closed
STEPS = ["Material receipt", "Production", "Inspection and release"]
# (name, commodity of the parts it makes, shifts): one process per commodity of the volume parts
# (customers.volume), plus two that make no part of their own.
PROCESSES = [
    ("Stamping line", "Stamping", 3),
    ("Machining cell", "Machining", 2),
    ("Die-casting cell", "Casting", 3),
    ("Injection moulding", "Plastics", 3),
    ("SMT line", "Electronics", 2),
    ("Final assembly", "Assembly", 1),
    ("Incoming inspection", "", 1),
    ("Shipping", "", 2),
]
# Fifty slots each: how often each VDA 6.3 score is given in a strong, an average and a weak
# process (mostly grades A, B and C); each audit's number picks one of the three.
SCORE_SLOTS = [
    [10] * 42 + [8] * 8,
    [10] * 30 + [8] * 16 + [6] * 4,
    [10] * 20 + [8] * 18 + [6] * 8 + [4] * 3 + [0],
]
FINDING_TEXTS = [
    ("Control plan CP rev. C, reaction plan",
     "Reaction plan not followed on night shift for an out-of-control point."),
    ("ISO 9001 7.1.5", "Two gauges at the line past their calibration date."),
    ("Work instruction WI-12", "Work instruction at the station one revision behind."),
    ("IATF 16949 8.5.1.1", "Control plan characteristic checked less often than planned."),
]  # fmt: skip

_VOLUME_PLANTS = "SELECT id FROM customers_plant WHERE code LIKE %(plant_prefix)s"
_VOLUME_PROCESSES = (
    f"SELECT id FROM audits_process WHERE name LIKE %(title_prefix)s "
    f"AND plant_id IN ({_VOLUME_PLANTS})"
)
# The processes, each at the plant where most of its parts are made, and the parts they make.
_PROCESSES = Rows(
    "audit processes",
    """
INSERT INTO audits_process (name, shifts, is_active, plant_id)
SELECT %(title_prefix_text)s || x.name, x.shifts, true,
       coalesce((SELECT plant_id FROM customers_part
                 WHERE part_number LIKE %(part_prefix)s AND commodity = x.commodity
                 GROUP BY plant_id ORDER BY count(*) DESC, plant_id LIMIT 1),
                (SELECT id FROM customers_plant WHERE code LIKE %(plant_prefix)s
                 ORDER BY code LIMIT 1))
FROM unnest(%(names)s::text[], %(commodities)s::text[], %(shifts)s::int[])
    WITH ORDINALITY AS x(name, commodity, shifts, n)
ORDER BY x.n
ON CONFLICT (plant_id, name) DO NOTHING
""",
)

_PROCESS_PARTS = f"""
INSERT INTO audits_process_parts (process_id, part_id)
SELECT pr.id, p.id
FROM audits_process pr
JOIN unnest(%(names)s::text[], %(commodities)s::text[]) AS x(name, commodity)
    ON pr.name = %(title_prefix_text)s || x.name
JOIN customers_part p ON p.commodity = x.commodity AND p.part_number LIKE %(part_prefix)s
WHERE pr.id IN ({_VOLUME_PROCESSES})
ORDER BY pr.id, p.id
ON CONFLICT DO NOTHING
"""

# One programme per year the audits fall in, unless that year has one already.
_PROGRAMMES = """
INSERT INTO audits_auditprogramme (year, title, notes, created_at, created_by_id)
SELECT y, %(programme_title)s || ' ' || y, 'Volume data.',
       make_timestamptz(y - 1, 12, 1, 9, 0, 0), %(engineer)s
FROM generate_series(%(first_year)s, %(last_year)s) y
ORDER BY y
ON CONFLICT (year) DO NOTHING
"""

# One row per volume audit: type, what it audits, status by its planned date, its times.
_PLAN = f"""
CREATE TEMP TABLE volume_audit_plan ON COMMIT DROP AS
WITH processes AS (
    SELECT row_number() OVER (ORDER BY id) AS k, id, name FROM audits_process
    WHERE id IN ({_VOLUME_PROCESSES})
), parts AS (
    SELECT row_number() OVER (ORDER BY id) AS k, id, part_number FROM customers_part
    WHERE part_number LIKE %(part_prefix)s
), customers AS (
    SELECT row_number() OVER (ORDER BY id) AS k, id, name FROM customers_customer
    WHERE code ~ %(customer_pattern)s
), source AS (
    SELECT g AS i,
           %(start)s::date + floor(random() * (%(end)s::date - %(start)s::date + 1))::int
               AS planned_date,
           random() AS r_type, random() AS r_status, random() AS r_pick, random() AS r_findings
    FROM generate_series(1, %(audits)s) g
), typed AS (
    SELECT s.*,
           CASE WHEN s.r_type < 0.45 THEN 'process' WHEN s.r_type < 0.70 THEN 'product'
                WHEN s.r_type < 0.80 THEN 'system' WHEN s.r_type < 0.95 THEN 'customer'
                ELSE 'certification' END AS type,
           CASE
             WHEN s.planned_date >= %(today)s::date THEN
               CASE WHEN s.planned_date < %(today)s::date + 30 AND s.r_status < 0.5
                    THEN 'in_preparation' ELSE 'planned' END
             WHEN s.planned_date > %(today)s::date - %(recent)s THEN
               (ARRAY['in_progress', 'report_draft', 'closed', 'closed', 'cancelled']
               )[1 + floor(s.r_status * 5)::int]
             WHEN s.r_status < 0.92 THEN 'closed' ELSE 'cancelled'
           END AS status,
           extract(year FROM s.planned_date)::int AS year,
           row_number() OVER (PARTITION BY extract(year FROM s.planned_date)
                              ORDER BY s.planned_date, s.i) AS seq
    FROM source s
)
SELECT t.*,
       'AUD-' || t.year || '-' || lpad((t.seq + coalesce(q.last_value, 0))::text, 5, '0')
           AS number,
       CASE WHEN t.type = 'process' THEN pr.id END AS process_id,
       CASE WHEN t.type = 'process' THEN substr(pr.name, length(%(title_prefix_text)s) + 1) END
           AS process_name,
       CASE WHEN t.type = 'product' THEN pa.id END AS part_id,
       pa.part_number,
       CASE WHEN t.type = 'customer' THEN c.id END AS customer_id,
       c.name AS customer_name,
       t.status IN ('in_progress', 'report_draft', 'closed') AS conducted,
       t.planned_date + interval '8 hours' AS started_at,
       least(t.planned_date + interval '14 days', %(now)s::timestamptz - interval '1 hour')
           AS approved_at,
       least(t.planned_date - interval '60 days', %(now)s::timestamptz - interval '1 day')
           AS created_at
FROM typed t
JOIN processes pr ON pr.k = 1 + floor(t.r_pick * (SELECT count(*) FROM processes))::int
JOIN parts pa ON pa.k = 1 + floor(t.r_pick * (SELECT count(*) FROM parts))::int
JOIN customers c ON c.k = 1 + floor(t.r_pick * (SELECT count(*) FROM customers))::int
LEFT JOIN core_sequence q ON q.prefix = 'AUD' AND q.year = t.year
"""

_AUDITS = Rows(
    "audits",
    """
INSERT INTO audits_audit (
    version, number, type, title, scope, shifts_audited, process_steps, planned_date,
    external_auditors, status, summary, result_percent, grade, downgrade_reasons, started_at,
    approved_at, created_at, updated_at, approved_by_id, created_by_id, customer_id,
    lead_auditor_id, part_id, programme_id, catalogue_id, process_id
)
SELECT
    1, v.number, v.type,
    %(title_prefix_text)s || CASE v.type
      WHEN 'process' THEN 'process audit – ' || v.process_name
      WHEN 'product' THEN 'product audit – ' || v.part_number
      WHEN 'system' THEN 'system audit ISO 9001 – ' || v.year
      WHEN 'customer' THEN 'customer audit – ' || v.customer_name
      ELSE 'IATF 16949 surveillance audit ' || v.year END,
    'Work instructions, inspection, handling and records on the shifts listed.',
    CASE WHEN v.type IN ('process', 'product')
         THEN (ARRAY['[1]', '[1, 2]', '[2, 3]', '[1, 2, 3]'])[1 + v.i %% 4]::jsonb
         ELSE '[]'::jsonb END,
    CASE WHEN v.type IN ('process', 'customer') THEN %(steps)s::jsonb ELSE '[]'::jsonb END,
    v.planned_date,
    CASE v.type WHEN 'customer' THEN 'Supplier quality engineer of ' || v.customer_name
                WHEN 'certification' THEN 'Certification body lead auditor' ELSE '' END,
    v.status,
    CASE WHEN v.status IN ('report_draft', 'closed')
         THEN 'Stable process; findings on inspection records are followed up.' ELSE '' END,
    NULL, '', '[]'::jsonb,
    CASE WHEN v.conducted THEN v.started_at END,
    CASE WHEN v.status = 'closed' THEN v.approved_at END,
    v.created_at,
    CASE WHEN v.status = 'closed' THEN v.approved_at WHEN v.conducted THEN v.started_at
         WHEN v.status = 'cancelled' THEN least(v.planned_date - interval '7 days',
                                                %(now)s::timestamptz - interval '1 hour')
         ELSE v.created_at END,
    CASE WHEN v.status = 'closed' THEN %(engineer)s END,
    %(engineer)s, v.customer_id, %(engineer)s, v.part_id,
    (SELECT id FROM audits_auditprogramme WHERE year = v.year),
    CASE WHEN v.type IN ('process', 'customer') THEN %(catalogue)s END,
    v.process_id
FROM volume_audit_plan v
ORDER BY v.i
""",
)

# Every question of the catalogue (P6 once per process step) for audits conducted; an audit still
# in progress has the first third answered. Scores picked per answer from the audit's slots,
# stably (from the audit's place in the plan and the question, not the RNG).
_ANSWERS = Rows(
    "audit answers",
    """
INSERT INTO audits_answer (version, step, score, not_evaluated, reason, note, updated_at,
                           answered_by_id, customer_id, audit_id, question_id)
SELECT 1, st.step,
       (%(score_slots)s::int[])[1 + 50 * (v.i %% 3)
                                + abs(hashtext(v.i || q.code || st.step)::bigint) %% 50],
       false, '', '', a.started_at + interval '4 hours', %(engineer)s, a.customer_id, a.id, q.id
FROM audits_audit a
JOIN volume_audit_plan v ON v.number = a.number
JOIN audits_question q ON q.catalogue_id = a.catalogue_id
CROSS JOIN LATERAL (
    SELECT jsonb_array_elements_text(a.process_steps) AS step WHERE q.element = 'P6'
    UNION ALL SELECT '' WHERE q.element <> 'P6' OR a.process_steps = '[]'::jsonb
) st
WHERE v.conducted
  AND (a.status <> 'in_progress'
       OR q.position <= (SELECT count(*) FROM audits_question WHERE catalogue_id = q.catalogue_id)
                        / 3)
ORDER BY a.id, q.position, st.step
""",
)

# Findings for about a third of the conducted audits, one to four each, on the audit's
# lowest-scored answers (with that score, so the result stays what the answers give). Those of
# audits long past are closed; recent nonconformities are open or answered.
_FINDINGS = Rows(
    "findings",
    """
WITH chosen AS (
    SELECT a.id, v.i, a.customer_id, a.status, a.started_at, a.planned_date,
           1 + abs(hashtext(v.i::text)::bigint) %% 4 AS findings
    FROM audits_audit a JOIN volume_audit_plan v ON v.number = a.number
    WHERE v.conducted AND v.r_findings < 0.33
), ranked AS (
    SELECT an.audit_id, an.question_id, an.step, an.score,
           row_number() OVER (PARTITION BY an.audit_id
                              ORDER BY an.score, q.position, an.step) AS j
    FROM audits_answer an JOIN audits_question q ON q.id = an.question_id
    WHERE an.audit_id IN (SELECT id FROM chosen)
), planned AS (
    SELECT c.*, j,
           (ARRAY['major', 'major', 'major', 'minor', 'minor', 'minor', 'minor', 'minor',
                  'minor', 'minor', 'minor', 'minor', 'observation', 'observation',
                  'observation', 'observation', 'observation', 'observation', 'ofi', 'ofi']
           )[1 + abs(hashtext(c.i || '/' || j)::bigint) %% 20] AS classification,
           c.started_at + j * interval '1 hour' AS raised_at,
           c.planned_date < %(today)s::date - %(settled_days)s AS settled
    FROM chosen c CROSS JOIN LATERAL generate_series(1, c.findings) j
), staged AS (
    SELECT p.*, r.question_id, r.step, r.score,
           p.classification IN ('major', 'minor') AS nonconformity,
           CASE WHEN p.settled THEN 'closed'
                WHEN p.status <> 'closed' THEN 'open'
                WHEN p.classification NOT IN ('major', 'minor')
                     AND p.raised_at + interval '7 days' <= %(now)s::timestamptz THEN 'closed'
                WHEN p.classification IN ('major', 'minor')
                     AND p.raised_at + interval '20 days' <= %(now)s::timestamptz
                     AND (p.i + p.j) %% 2 = 0 THEN 'submitted'
                ELSE 'open' END AS finding_status
    FROM planned p
    LEFT JOIN ranked r ON r.audit_id = p.id AND r.j = p.j
)
INSERT INTO audits_finding (
    version, position, step, score, classification, requirement, description, status,
    raised_at, containment_due, plan_due, implementation_due, containment, correction,
    root_cause, effectiveness, responded_at, decision_comment, closed_at, updated_at, audit_id,
    closed_by_id, created_by_id, customer_id, responded_by_id, question_id
)
SELECT
    1, s.j, coalesce(s.step, ''), s.score, s.classification,
    (%(requirements)s::text[])[1 + (s.j - 1) %% %(texts)s],
    (%(descriptions)s::text[])[1 + (s.j - 1) %% %(texts)s],
    s.finding_status, s.raised_at,
    CASE WHEN s.classification = 'major' THEN s.raised_at + %(major_containment)s END,
    CASE s.classification WHEN 'major' THEN s.raised_at + %(major_plan)s
                          WHEN 'minor' THEN s.raised_at + %(minor_plan)s END,
    CASE s.classification WHEN 'major' THEN s.raised_at + %(major_implementation)s
                          WHEN 'minor' THEN s.raised_at + %(minor_implementation)s END,
    CASE WHEN s.classification = 'major' AND s.responded
         THEN 'Affected stock sorted, 100 %% check until the fix.' ELSE '' END,
    CASE WHEN s.responded THEN 'Deviation corrected on the spot.' ELSE '' END,
    CASE WHEN s.responded THEN 'Training of the new shift lead incomplete.' ELSE '' END,
    CASE WHEN s.responded AND s.finding_status = 'closed'
         THEN 'Follow-up check on three shifts: no recurrence.' ELSE '' END,
    CASE WHEN s.responded THEN s.raised_at + interval '20 days' END,
    '',
    CASE WHEN s.finding_status = 'closed' THEN s.closed_at END,
    coalesce(CASE WHEN s.finding_status = 'closed' THEN s.closed_at END,
             CASE WHEN s.responded THEN s.raised_at + interval '20 days' END, s.raised_at),
    s.id,
    -- A customer confirms the closure of their own audit's finding (their user where there is
    -- one); our planner closes the others.
    CASE WHEN s.finding_status <> 'closed' THEN NULL
         WHEN s.customer_id = %(customer_user_customer)s THEN %(customer_user)s
         ELSE %(engineer)s END,
    %(engineer)s, s.customer_id,
    CASE WHEN s.responded THEN %(engineer)s END,
    s.question_id
FROM (SELECT st.*,
             st.nonconformity AND st.finding_status IN ('submitted', 'closed') AS responded,
             st.raised_at + CASE WHEN st.nonconformity THEN interval '60 days'
                                 ELSE interval '7 days' END AS closed_at
      FROM staged st) s
ORDER BY s.id, s.j
""",
)

# A nonconformity's response needs a corrective action: one per answered nonconformity.
_ACTIONS = Rows(
    "finding actions",
    corrective_actions(
        "f",
        title="'Corrective action for ' || a.number || '/F' || lpad(f.position::text, 2, '0')",
        description="'Train the shift leads and add the check to the layered process audit.'",
        due="(f.raised_at + interval '45 days')::date",
        created="f.raised_at + interval '2 days'",
        done="'Done on all shifts.'",
        evidence="'No recurrence on three shifts.'",
        content_type="finding_type",
        rest="""
FROM audits_finding f
JOIN audits_audit a ON a.id = f.audit_id
JOIN volume_audit_plan v ON v.number = a.number
WHERE f.classification IN ('major', 'minor') AND f.responded_at IS NOT NULL
ORDER BY f.id
""",
    ),
)

# The timeline: the audit's transitions, then each finding raised, answered and closed.
_EVENTS = Rows(
    "audit events",
    """
INSERT INTO audits_auditevent (action, from_status, to_status, comment, created_at, actor_id,
                               audit_id, customer_id, finding_id)
SELECT e.action, e.from_status, e.to_status, e.comment, e.at, %(engineer)s, a.id,
       a.customer_id, NULL
FROM audits_audit a
JOIN volume_audit_plan v ON v.number = a.number
CROSS JOIN LATERAL (VALUES
    ('plan', '', 'planned', '', a.created_at, true),
    ('prepare', 'planned', 'in_preparation', '',
     least(a.planned_date - interval '14 days', %(now)s::timestamptz - interval '1 hour'),
     a.status IN ('in_preparation', 'in_progress', 'report_draft', 'closed')),
    ('start', 'in_preparation', 'in_progress', '', a.started_at, v.conducted),
    ('draft_report', 'in_progress', 'report_draft', '',
     least(a.started_at + interval '1 day', v.approved_at - interval '30 minutes'),
     a.status IN ('report_draft', 'closed')),
    ('approve_report', 'report_draft', 'closed', '', a.approved_at, a.status = 'closed'),
    ('cancel', 'planned', 'cancelled', 'Moved to next year''s programme.', a.updated_at,
     a.status = 'cancelled')
) AS e(action, from_status, to_status, comment, at, happened)
WHERE e.happened
UNION ALL
SELECT e.action, e.from_status, e.to_status, a.number || '/F' || lpad(f.position::text, 2, '0'),
       e.at, CASE WHEN e.action = 'finding_confirm' THEN f.closed_by_id ELSE %(engineer)s END,
       a.id, a.customer_id, f.id
FROM audits_finding f
JOIN audits_audit a ON a.id = f.audit_id
JOIN volume_audit_plan v ON v.number = a.number
CROSS JOIN LATERAL (VALUES
    ('finding_raise', '', 'open', f.raised_at, true),
    ('finding_respond', 'open', 'submitted', f.responded_at, f.responded_at IS NOT NULL),
    (CASE WHEN a.type = 'customer' THEN 'finding_confirm' ELSE 'finding_close' END,
     CASE WHEN f.responded_at IS NULL THEN 'open' ELSE 'submitted' END, 'closed', f.closed_at,
     f.status = 'closed')
) AS e(action, from_status, to_status, at, happened)
WHERE e.happened
ORDER BY 7, 5
""",
)

# Volume audits: titled VOL …, or hanging off a volume customer, part or process (whoever made
# them: those rows are removed next, so nothing may refer to them any more).
_AUDIT_IDS = f"""
SELECT id FROM audits_audit
WHERE title LIKE %(title_prefix)s
   OR customer_id IN (SELECT id FROM customers_customer WHERE code ~ %(customer_pattern)s)
   OR part_id IN (SELECT id FROM customers_part WHERE part_number LIKE %(part_prefix)s)
   OR process_id IN ({_VOLUME_PROCESSES})
"""
_FINDING_IDS = f"SELECT id FROM audits_finding WHERE audit_id IN ({_AUDIT_IDS})"
# Children first; programmes and the catalogue only when no other audit uses them.
_RESET = [
    f"DELETE FROM core_action WHERE content_type_id = %(finding_type)s "
    f"AND object_id IN ({_FINDING_IDS})",
    f"DELETE FROM audits_auditevent WHERE audit_id IN ({_AUDIT_IDS})",
    f"DELETE FROM audits_findingescalation WHERE finding_id IN ({_FINDING_IDS})",
    f"DELETE FROM audits_finding WHERE audit_id IN ({_AUDIT_IDS})",
    f"DELETE FROM audits_answer WHERE audit_id IN ({_AUDIT_IDS})",
    f"DELETE FROM audits_audit_team WHERE audit_id IN ({_AUDIT_IDS})",
    f"DELETE FROM audits_audit WHERE id IN ({_AUDIT_IDS})",
    f"DELETE FROM audits_process_parts WHERE process_id IN ({_VOLUME_PROCESSES})",
    f"DELETE FROM audits_process_responsible WHERE process_id IN ({_VOLUME_PROCESSES})",
    f"DELETE FROM audits_process WHERE id IN ({_VOLUME_PROCESSES})",
    "DELETE FROM audits_auditprogramme p WHERE p.title LIKE %(programme_prefix)s "
    "AND NOT EXISTS (SELECT 1 FROM audits_audit a WHERE a.programme_id = p.id)",
    "DELETE FROM audits_question q USING audits_catalogue c WHERE q.catalogue_id = c.id "
    "AND c.name = %(catalogue_name)s "
    "AND NOT EXISTS (SELECT 1 FROM audits_audit a WHERE a.catalogue_id = c.id)",
    "DELETE FROM audits_catalogue c WHERE c.name = %(catalogue_name)s "
    "AND NOT EXISTS (SELECT 1 FROM audits_audit a WHERE a.catalogue_id = c.id) "
    "AND NOT EXISTS (SELECT 1 FROM audits_question q WHERE q.catalogue_id = c.id)",
]

# Tables this module fills: their planner statistics are refreshed after seeding.
TABLES = [
    "audits_process",
    "audits_process_parts",
    "audits_auditprogramme",
    "audits_audit",
    "audits_answer",
    "audits_finding",
    "audits_auditevent",
]


def exists() -> bool:
    return Audit.objects.filter(title__startswith=TITLE_PREFIX).exists()


def seed(ctx: VolumeContext) -> dict[str, int]:
    params = _params(ctx)
    statements = [_PROCESSES, _PROCESS_PARTS, _PROGRAMMES, _PLAN, _AUDITS, _ANSWERS, _FINDINGS]
    statements += [_ACTIONS, _EVENTS]
    numbering = ("AUD", "audits_audit")
    counts = seed_statements(
        ctx, params, statements, numbering=numbering, scratch="volume_audit_plan"
    )
    _freeze_results(params["catalogue"])
    return counts


def reset(ctx: VolumeContext) -> None:
    params = _identity_params() | {
        "finding_type": ContentType.objects.get_for_model(Finding).pk,
        "programme_prefix": f"{PROGRAMME_TITLE} %",
        "catalogue_name": CATALOGUE_NAME,
    }
    delete_rows(_RESET, params)
    rewind_sequences("AUD", "audits_audit")


def _identity_params() -> dict:
    """What recognises volume rows in the SQL above."""
    return {
        "title_prefix": f"{TITLE_PREFIX}%",
        "title_prefix_text": TITLE_PREFIX,
        "plant_prefix": f"{PREFIX}%",
        "part_prefix": f"{PREFIX}-%",
        "customer_pattern": CUSTOMER_PATTERN,
    }


def _params(ctx: VolumeContext) -> dict:
    customer_user = User.objects.get(email=CUSTOMER_USER_EMAIL)
    end = ctx.today + dt.timedelta(days=AHEAD_DAYS)
    deadlines = services.response_deadlines(None)
    major, minor = deadlines[Finding.Classification.MAJOR], deadlines[Finding.Classification.MINOR]
    return _identity_params() | {
        "names": [name for name, _commodity, _shifts in PROCESSES],
        "commodities": [commodity for _name, commodity, _shifts in PROCESSES],
        "shifts": [shifts for _name, _commodity, shifts in PROCESSES],
        "programme_title": PROGRAMME_TITLE,
        "first_year": ctx.start.year,
        "last_year": end.year,
        "audits": ctx.count("audits"),
        "start": ctx.start.isoformat(),
        "end": end.isoformat(),
        "today": ctx.today.isoformat(),
        "now": ctx.today.isoformat(),
        "recent": RECENT_DAYS,
        "settled_days": FINDINGS_SETTLED_DAYS,
        "steps": json.dumps(STEPS),
        "catalogue": _catalogue().pk,
        "score_slots": [score for slots in SCORE_SLOTS for score in slots],
        "texts": len(FINDING_TEXTS),
        "requirements": [text[0] for text in FINDING_TEXTS],
        "descriptions": [text[1] for text in FINDING_TEXTS],
        # The response deadlines the service sets (a customer's own come from their CSR; the
        # volume customers keep the defaults).
        "major_containment": major["containment_due"],
        "major_plan": major["plan_due"],
        "major_implementation": major["implementation_due"],
        "minor_plan": minor["plan_due"],
        "minor_implementation": minor["implementation_due"],
        "engineer": volume_engineer().pk,
        "customer_user": customer_user.pk,
        "customer_user_customer": customer_user.customer_id,
        "finding_type": ContentType.objects.get_for_model(Finding).pk,
    }


def _catalogue() -> Catalogue:
    """The first active VDA 6.3 catalogue, or a volume copy of the shipped example.

    Created in bulk (no history rows), like the rest of the volume data.
    """
    existing = (
        Catalogue.objects.filter(kind=Catalogue.Kind.VDA_63, is_active=True).order_by("pk").first()
    )
    if existing is not None:
        return existing
    data = catalogues.parse_json((catalogues.SHIPPED / "vda63_example.json").read_text("utf-8"))
    questions = catalogues.clean_questions(Catalogue.Kind.VDA_63, data["questions"])
    (catalogue,) = Catalogue.objects.bulk_create(
        [
            Catalogue(
                name=CATALOGUE_NAME,
                version=data["version"],
                kind=Catalogue.Kind.VDA_63,
                notes="Volume data: a copy of the shipped example catalogue.",
            )
        ]
    )
    for question in questions:
        question.catalogue = catalogue
    Question.objects.bulk_create(questions)
    return catalogue


def _freeze_results(catalogue_id: int) -> None:
    """Closed scored audits keep the result and grade the real scoring gives their answers.

    A few thousand scores are read back; the results go in with one UPDATE.
    """
    if not Catalogue.objects.get(pk=catalogue_id).is_vda63:
        return
    questions = list(Question.objects.filter(catalogue_id=catalogue_id))
    codes = {question.pk: question.code for question in questions}
    closed = Audit.objects.filter(
        title__startswith=TITLE_PREFIX, status=Audit.Status.CLOSED, catalogue_id=catalogue_id
    )
    scores: dict[int, dict[tuple[str, str], list[int]]] = defaultdict(lambda: defaultdict(list))
    answers = Answer.objects.filter(audit__in=closed, score__isnull=False)
    findings = Finding.objects.filter(
        audit__in=closed, score__isnull=False, question__isnull=False
    ).exclude(status=Finding.Status.CANCELLED)
    for rows in (answers, findings):
        for audit_id, question_id, step, score in rows.values_list(
            "audit_id", "question_id", "step", "score"
        ):
            scores[audit_id][(codes[question_id], step)].append(score)
    marks = [scoring.Question(q.code, q.element, q.sub_element, q.star) for q in questions]
    ids, percents, grades, reasons = [], [], [], []
    for audit_id, given in scores.items():
        result = scoring.evaluate(
            marks, [scoring.Evaluation(code, tuple(s), step) for (code, step), s in given.items()]
        )
        if not result.gradable:
            continue
        ids.append(audit_id)
        percents.append(scoring.two_decimals(result.overall))
        grades.append(result.grade or "")
        reasons.append(json.dumps([reason.message for reason in result.downgrades]))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audits_audit a SET result_percent = r.result, grade = r.grade, "
            "downgrade_reasons = r.reasons::jsonb "
            "FROM unnest(%s::bigint[], %s::numeric[], %s::text[], %s::text[]) "
            "AS r(id, result, grade, reasons) WHERE a.id = r.id",
            [ids, percents, grades, reasons],
        )
