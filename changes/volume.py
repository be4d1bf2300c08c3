"""Volume change requests and deviations/concessions on the volume customers (see core.volumes).

Change requests spread over five years. Older ones are closed, rejected or cancelled; the last six
months hold every open status. Each change carries what its status implies: the affected part
(current → new revision) and a document, the assessor and the board approver named before the
assessment started (assessed and signed off once it went past them), the customer's decision, the
ECN release, validation and implementation, and a timeline of events. Changes that required PPAP
and were released are dated back from a volume PPAP submission they opened (ppap.volume runs
first), which is linked to them; validation follows that submission's approval.

Deviations and concessions name one or two of the customer's parts, a quantity cap and/or an expiry
date; approved ones have shipments recorded under them, exhausted ones up to their cap.

Numbers continue each year's ``ECR`` and ``DEV`` sequences, and the sequences are moved on.
"""

from __future__ import annotations

import datetime as dt
import json

from accounts.models import User
from core.volumes import (
    PREFIX,
    Rows,
    VolumeContext,
    delete_rows,
    rewind_sequences,
    seed_statements,
)
from customers.volume import CUSTOMER_USER_EMAIL, volume_engineer, volume_parts
from ppap.reasons import SubmissionReason

from .deviations.services import NUMBER_PREFIX as DEVIATION_PREFIX
from .models import ChangeRequest, Deviation
from .services import suggest_psw_reason

# Volume customers are VOL01, VOL02, … (customers.volume): a strict pattern, so that a real
# customer whose code merely starts with the letters (VOLVO) is never taken for one.
VOLUME_CUSTOMERS = "SELECT id FROM customers_customer WHERE code ~ %(customer_pattern)s"
CUSTOMER_PATTERN = f"^{PREFIX}[0-9]{{2,}}$"
VOLUME_PPAP = "part_id IN (SELECT id FROM customers_part WHERE part_number LIKE %(part_prefix)s)"
CHANGE_PREFIX = "ECR"
OPEN_WINDOW_DAYS = 180
DEVIATION_OPEN_WINDOW_DAYS = 120
# About this share of the changes required PPAP, were released and opened one of the volume PPAP
# submissions (one with a reason a change gives).
LINKED_SHARE = 0.15

# (type, title, reason, before, after): what the volume changes are about; the type follows the
# text, so every change reads as one thing.
TEXTS = [
    ("product", "Additional weld nut on the bracket", "Customer request for an extra fixing point.",
     "Two weld nuts", "Three weld nuts, drawing rev. B"),
    ("product", "Coating changed to zinc-nickel", "Salt spray results below target.",
     "Zinc-iron coating", "Zinc-nickel coating"),
    ("product", "Wall thickness reduced for weight", "Weight reduction programme.",
     "Profile 2.0 mm", "Profile 1.8 mm"),
    ("process", "Die insert material changed", "Die insert wears out after 80,000 strokes.",
     "Insert in 1.2379", "Insert in powder-metallurgical steel"),
    ("process", "Weld sequence optimised on the robot cell", "Distortion after welding.",
     "Sequence A-B-C", "Sequence B-A-C with cooling pause"),
    ("process", "Packaging changed to returnable trays", "Damage in transit.",
     "Cardboard box", "Returnable plastic tray"),
    ("process", "Vacuum system upgrade on the die-casting cell", "Porosity claims.",
     "Single vacuum valve", "Redundant vacuum valves with monitoring"),
    ("supplier", "Steel coil from a second mill", "Capacity of the current mill.",
     "Coil from mill A", "Coil from mills A and B"),
    ("site", "Production also at the South plant", "Capacity at the North plant exhausted.",
     "Produced at the North plant", "Produced at the North and South plants"),
    ("software", "End-of-line test software update", "False rejects at the end-of-line test.",
     "Test software 2.3", "Test software 2.4"),
    ("documentation", "Drawing note clarified", "Ambiguous drawing note.",
     "Note 4 unclear", "Note 4 reworded"),
    ("documentation", "Reaction plan in the control plan updated",
     "Audit finding on the reaction plan.", "Reaction plan rev. 3", "Reaction plan rev. 4"),
]  # fmt: skip
# The PPAP reasons a change gives, with the text (index into TEXTS, from 1) of such a change.
R = SubmissionReason
REASON_TEXT = {
    R.ENGINEERING_CHANGE: 1,
    R.OPTIONAL_CONSTRUCTION: 2,
    R.CORRECTION: 3,
    R.PROCESSING: 5,
    R.TOOLING_INACTIVE: 4,
    R.SUB_SUPPLIER: 8,
    R.ADDITIONAL_LOCATION: 9,
    R.TOOLING: 9,
}
DOCUMENT_KINDS = {
    "product": "drawing",
    "process": "control_plan",
    "supplier": "spec",
    "site": "control_plan",
    "software": "spec",
    "documentation": "drawing",
}
# A recent change is in any status, each as likely.
RECENT_STATUSES = list(ChangeRequest.Status.values)

# One row per volume change with everything its status implies: part, number, flags and the time
# of every step. Steps are paced (``u``, a day at most) so that a change raised last week has all
# its steps in the past; a linked change is dated back 25 days from its PPAP submission, which its
# ECN release opened (less when that would fall before the five years).
_PLAN = f"""
CREATE TEMP TABLE volume_change_plan ON COMMIT DROP AS
WITH parts AS (
    SELECT row_number() OVER (ORDER BY id) AS k, id, customer_id, revision, part_number,
           row_number() OVER (PARTITION BY customer_id ORDER BY id) AS ck,
           count(*) OVER (PARTITION BY customer_id) AS cn
    FROM customers_part WHERE part_number LIKE %(part_prefix)s
), linked AS (
    SELECT row_number() OVER (ORDER BY s.created_at, s.id) AS i, s.id AS submission_id,
           s.number || ' rev ' || s.revision AS submission_label, s.part_id, s.created_at,
           s.decided_at, s.status, s.reason, s.level
    FROM (SELECT * FROM ppap_ppapsubmission
          WHERE {VOLUME_PPAP} AND change_id IS NULL AND status <> 'cancelled'
            AND reason = ANY(%(change_reasons)s)
          ORDER BY hashtext(created_at::text), id LIMIT %(linked)s) s
), source AS (
    SELECT g AS i, 1 + floor(random() * %(parts)s)::int AS part_k,
           %(start)s::timestamptz + random() * (%(now)s::timestamptz - %(start)s::timestamptz)
               AS raised_at,
           random() AS r_status, random() AS r_text, random() AS r_flags
    FROM generate_series(1, %(changes)s) g
), based AS (
    SELECT s.i, s.r_status, s.r_flags, l.submission_id, l.submission_label,
           l.created_at AS ppap_created_at, l.decided_at AS ppap_decided_at,
           l.status AS ppap_status, l.reason AS ppap_reason, l.level AS ppap_level,
           coalesce(l.part_id, p.id) AS part_id,
           CASE WHEN l.submission_id IS NULL THEN s.raised_at
                ELSE greatest(l.created_at - interval '25 days', %(start)s::timestamptz)
           END AS raised_at,
           CASE WHEN l.submission_id IS NULL THEN 1 + floor(s.r_text * %(texts)s)::int
                ELSE (%(reason_texts)s::int[])[array_position(%(change_reasons)s::text[], l.reason)]
           END AS text_k
    FROM source s JOIN parts p ON p.k = s.part_k LEFT JOIN linked l ON l.i = s.i
), statused AS (
    SELECT b.*, p.customer_id, p.revision, p.part_number, p.ck, p.cn,
           (%(types)s::text[])[b.text_k] AS change_type,
           extract(year FROM b.raised_at)::int AS year,
           row_number() OVER (PARTITION BY extract(year FROM b.raised_at)
                              ORDER BY b.raised_at, b.i) AS seq,
           CASE
             WHEN b.submission_id IS NOT NULL THEN
               CASE WHEN b.ppap_status NOT IN ('approved', 'approved_deviations') THEN
                      CASE WHEN b.raised_at < %(cutoff)s::timestamptz THEN 'cancelled'
                           ELSE 'released' END
                    WHEN b.ppap_decided_at + interval '20 days' <= %(now)s::timestamptz
                         AND (b.raised_at < %(cutoff)s::timestamptz OR b.r_status < 0.4)
                         THEN 'closed'
                    WHEN b.ppap_decided_at + interval '10 days' <= %(now)s::timestamptz
                         AND b.r_status < 0.7 THEN 'implemented'
                    WHEN b.ppap_decided_at + interval '2 days' <= %(now)s::timestamptz
                         THEN 'validated'
                    ELSE 'released' END
             WHEN b.raised_at < %(cutoff)s::timestamptz THEN
               CASE WHEN b.r_status < 0.78 THEN 'closed'
                    WHEN b.r_status < 0.89 THEN 'rejected' ELSE 'cancelled' END
             ELSE (%(open_statuses)s::text[])[1 + floor(b.r_status * %(statuses)s)::int]
           END AS status
    FROM based b JOIN parts p ON p.id = b.part_id
), flagged AS (
    SELECT st.*,
           st.change_type <> 'documentation' OR st.status = 'customer_approval'
               AS approval_required,
           st.status = 'rejected' AND st.change_type <> 'documentation' AND st.r_flags < 0.5
               AS customer_rejected
    FROM statused st
), staged AS (
    -- How far along the lifecycle the change got: 0 draft … 9 closed (side exits included).
    SELECT f.*,
           CASE f.status WHEN 'draft' THEN 0 WHEN 'submitted' THEN 1
                WHEN 'impact_assessment' THEN 2 WHEN 'review_board' THEN 3 WHEN 'deferred' THEN 3
                WHEN 'customer_approval' THEN 4 WHEN 'approved' THEN 5 WHEN 'released' THEN 6
                WHEN 'validated' THEN 7 WHEN 'implemented' THEN 8 WHEN 'closed' THEN 9
                WHEN 'rejected' THEN CASE WHEN f.customer_rejected THEN 4 ELSE 3 END
                WHEN 'cancelled' THEN CASE WHEN f.submission_id IS NULL THEN 1 ELSE 6 END
           END AS reached,
           CASE WHEN f.submission_id IS NOT NULL THEN (f.ppap_created_at - f.raised_at) / 25
                ELSE least(1, extract(epoch FROM %(now)s::timestamptz - f.raised_at)
                              / (90 * 86400)) * interval '1 day' END AS u
    FROM flagged f
), timed AS (
    SELECT s.*,
           s.raised_at + 2 * s.u AS submitted_at,
           s.raised_at + 3 * s.u AS assessment_at,
           s.raised_at + 10 * s.u AS board_at,
           s.raised_at + 14 * s.u AS board_decided_at,
           s.raised_at + 21 * s.u AS customer_decided_at,
           s.raised_at + 25 * s.u AS released_at,
           coalesce(s.ppap_decided_at + interval '2 days', s.raised_at + 60 * s.u) AS validated_at,
           coalesce(s.ppap_decided_at + interval '10 days', s.raised_at + 70 * s.u)
               AS implemented_at,
           coalesce(s.ppap_decided_at + interval '20 days', s.raised_at + 80 * s.u)
               AS completed_at,
           s.reached >= 5 AND s.approval_required AND s.r_flags > 0.9 AS waived,
           s.change_type <> 'documentation'
               AND (s.submission_id IS NOT NULL OR (s.reached < 6 AND s.r_flags < 0.4))
               AS ppap_required
    FROM staged s
)
SELECT t.*,
       'ECR-' || t.year || '-' || lpad((t.seq + coalesce(q.last_value, 0))::text, 5, '0')
           AS number,
       CASE t.status
         WHEN 'closed' THEN t.completed_at
         WHEN 'rejected' THEN CASE WHEN t.customer_rejected THEN t.customer_decided_at
                                   ELSE t.board_decided_at END
         WHEN 'cancelled' THEN CASE WHEN t.submission_id IS NULL THEN t.assessment_at
                                    ELSE coalesce(t.ppap_decided_at, t.released_at)
                                         + interval '5 days' END
       END AS closed_at,
       -- A second affected part of the same customer for some changes without a PPAP link.
       (SELECT p2.id FROM parts p2 WHERE p2.customer_id = t.customer_id AND t.cn > 1
            AND p2.ck = t.ck %% t.cn + 1 AND t.submission_id IS NULL AND t.r_flags < 0.2
       ) AS second_part_id
FROM timed t
LEFT JOIN core_sequence q ON q.prefix = 'ECR' AND q.year = t.year
"""

_CHANGES = Rows(
    "changes",
    """
INSERT INTO changes_changerequest (
    version, number, title, change_type, origin, reason, description_before, description_after,
    impact_fit, impact_fit_note, impact_form, impact_form_note, impact_function,
    impact_function_note, impact_performance, impact_performance_note, impact_durability,
    impact_durability_note, impact_special_characteristics, impact_special_characteristics_note,
    impact_safety, impact_safety_note, impact_material_compliance,
    impact_material_compliance_note, risk_reference, cost_amount, cost_currency,
    customer_approval_required, customer_approval_basis, ppap_required, ppap_level, psw_reason,
    tooling_inactive_months, tooling_transfer, validation_plan, validation_results,
    effectivity_date, break_point, interchangeability, sw_revision_old, sw_revision_new,
    hw_revision_old, hw_revision_new, internal_notes, status, decision_reason, deferred_until,
    customer_notified_at, customer_decision, customer_decided_at, customer_comment, waiver_by,
    waiver_basis, waiver_date, waiver_reference, released_at, validated_at, implemented_on,
    implemented_break_point, closed_at, created_at, updated_at, created_by_id, customer_id,
    customer_decided_by_id
)
SELECT
    1, v.number,
    (%(titles)s::text[])[v.text_k] || ' (' || v.part_number || ')',
    v.change_type,
    (ARRAY['customer', 'internal', 'internal', 'supplier'])[1 + v.i %% 4],
    (%(reasons_text)s::text[])[v.text_k],
    (%(befores)s::text[])[v.text_k],
    (%(afters)s::text[])[v.text_k],
    v.change_type = 'product', '',
    v.change_type = 'product' AND v.r_flags < 0.5, '',
    v.change_type IN ('product', 'software'),
    CASE WHEN v.change_type IN ('product', 'software')
         THEN 'Function verified on the test bench.' ELSE '' END,
    false, '', false, '',
    v.r_flags < 0.2, CASE WHEN v.r_flags < 0.2 THEN 'Special characteristic SC-3 affected.'
                          ELSE '' END,
    false, '', v.change_type = 'supplier', '',
    'PFMEA ' || v.part_number,
    500 + floor(v.r_flags * 195) * 100, 'EUR',
    v.approval_required, CASE WHEN v.approval_required THEN 'csr' ELSE '' END,
    v.ppap_required,
    CASE WHEN v.submission_id IS NOT NULL THEN v.ppap_level WHEN v.ppap_required THEN 3 END,
    CASE WHEN v.submission_id IS NOT NULL THEN v.ppap_reason
         WHEN v.ppap_required THEN (%(psw_reasons)s::text[])[v.text_k] ELSE '' END,
    CASE WHEN v.ppap_reason = 'tooling_inactive' THEN 14 END,
    coalesce(v.ppap_reason = 'tooling', false),
    'Dimensional check of 3 × 5 parts, function test, capability study.',
    CASE WHEN v.reached >= 7 THEN 'All characteristics within tolerance.' ELSE '' END,
    (v.raised_at + interval '90 days')::date,
    'First lot after approval', 'interchangeable',
    CASE WHEN v.change_type = 'software' THEN '2.3' ELSE '' END,
    CASE WHEN v.change_type = 'software' THEN '2.4' ELSE '' END,
    '', '', '',
    v.status,
    CASE WHEN v.status = 'deferred' THEN 'Wait for the model year.'
         WHEN v.status = 'rejected' AND NOT v.customer_rejected
         THEN 'Savings do not cover the risk.' ELSE '' END,
    CASE WHEN v.status = 'deferred'
         THEN %(today)s::date + 30 + floor(v.r_flags * 90)::int END,
    CASE WHEN v.approval_required AND v.reached >= 4 THEN v.board_decided_at END,
    CASE WHEN v.customer_rejected THEN 'rejected' WHEN v.waived THEN 'waived'
         WHEN v.approval_required AND v.reached >= 5 THEN 'approved' ELSE '' END,
    CASE WHEN v.customer_rejected OR (v.approval_required AND v.reached >= 5)
         THEN v.customer_decided_at END,
    CASE WHEN v.customer_rejected THEN 'Not agreed: the change affects our validation.'
         WHEN v.approval_required AND v.reached >= 5 AND NOT v.waived THEN 'Agreed.'
         ELSE '' END,
    CASE WHEN v.waived THEN 'Customer supplier quality engineer' ELSE '' END,
    CASE WHEN v.waived THEN 'Approval by e-mail; the formal notice follows with the next PPAP.'
         ELSE '' END,
    CASE WHEN v.waived THEN v.customer_decided_at::date END,
    CASE WHEN v.waived THEN 'E-mail from the customer' ELSE '' END,
    CASE WHEN v.reached >= 6 THEN v.released_at END,
    CASE WHEN v.reached >= 7 THEN v.validated_at END,
    CASE WHEN v.reached >= 8 THEN v.implemented_at::date END,
    CASE WHEN v.reached >= 8 THEN 'Lot ' || (2000 + v.i %% 8000) ELSE '' END,
    v.closed_at,
    v.raised_at,
    CASE WHEN v.closed_at IS NOT NULL THEN v.closed_at
         WHEN v.status = 'deferred' THEN v.board_decided_at
         ELSE (ARRAY[v.raised_at, v.submitted_at, v.assessment_at, v.board_at, v.board_decided_at,
                     v.customer_decided_at, v.released_at, v.validated_at, v.implemented_at,
                     v.completed_at])[v.reached + 1] END,
    %(engineer)s, v.customer_id,
    -- A waiver is recorded by our staff; an approval by the customer's user where there is one.
    CASE WHEN v.waived THEN %(engineer)s
         WHEN (v.customer_rejected OR (v.approval_required AND v.reached >= 5))
              AND v.customer_id = %(customer_user_customer)s THEN %(customer_user)s END
FROM volume_change_plan v
ORDER BY v.i
""",
)

# The affected parts: the change's part (and a second one of the same customer for some).
_PARTS = Rows(
    "affected parts",
    """
INSERT INTO changes_affectedpart (current_revision, new_revision, customer_id, part_id, change_id)
SELECT p.revision,
       CASE WHEN p.revision ~ '^[A-Y]$' THEN chr(ascii(p.revision) + 1) ELSE p.revision || '1' END,
       c.customer_id, p.id, c.id
FROM volume_change_plan v
JOIN changes_changerequest c ON c.number = v.number
CROSS JOIN LATERAL (VALUES (v.part_id), (v.second_part_id)) AS a(part_id)
JOIN customers_part p ON p.id = a.part_id
ORDER BY c.id, p.id
""",
)

_DOCUMENTS = Rows(
    "affected documents",
    """
INSERT INTO changes_affecteddocument (kind, identifier, current_revision, new_revision,
                                      customer_id, change_id)
SELECT d.kind, upper(replace(d.kind, '_', ' ')) || ' ' || v.part_number, '3', '4',
       c.customer_id, c.id
FROM volume_change_plan v
JOIN changes_changerequest c ON c.number = v.number
CROSS JOIN LATERAL (SELECT (%(document_kinds)s::jsonb) ->> v.change_type AS kind) d
ORDER BY c.id
""",
)

# Assessor and board approver: named before the assessment starts, done once it went past them.
_ASSESSORS = Rows(
    "assessors",
    """
INSERT INTO changes_changeassessor (function, assessment, internal_note, assessed_at, customer_id,
                                    user_id, change_id)
SELECT 'quality',
       CASE WHEN v.reached >= 3 THEN 'No effect on fit and form; function verified by test.'
            ELSE '' END,
       '', CASE WHEN v.reached >= 3 THEN v.board_at END, c.customer_id, %(engineer)s, c.id
FROM volume_change_plan v JOIN changes_changerequest c ON c.number = v.number
WHERE v.reached >= 2
ORDER BY c.id
""",
)

_APPROVERS = Rows(
    "approvers",
    """
INSERT INTO changes_changeapprover (function, approved_at, customer_id, signature_id, user_id,
                                    change_id)
SELECT 'quality', CASE WHEN v.reached >= 4 THEN v.board_decided_at END, c.customer_id, NULL,
       %(engineer)s, c.id
FROM volume_change_plan v JOIN changes_changerequest c ON c.number = v.number
WHERE v.reached >= 2
ORDER BY c.id
""",
)

# The timeline: one event per transition the change went through, as the services write them.
_EVENTS = Rows(
    "change events",
    """
INSERT INTO changes_changeevent (action, from_status, to_status, comment, created_at, actor_id,
                                 customer_id, change_id)
SELECT e.action, e.from_status, e.to_status, e.comment, e.at,
       CASE WHEN e.action IN ('to_review_board', 'to_customer', 'board_complete') THEN NULL
            WHEN e.action IN ('customer_approve', 'customer_reject')
            THEN c.customer_decided_by_id ELSE %(engineer)s END,
       c.customer_id, c.id
FROM volume_change_plan v
JOIN changes_changerequest c ON c.number = v.number
CROSS JOIN LATERAL (VALUES
    ('create', '', 'draft', '', v.raised_at, true),
    ('submit', 'draft', 'submitted', '', v.submitted_at, v.reached >= 1),
    ('start_assessment', 'submitted', 'impact_assessment', '', v.assessment_at, v.reached >= 2),
    ('assess', '', '', 'Quality', v.board_at, v.reached >= 3),
    ('to_review_board', 'impact_assessment', 'review_board', '', v.board_at, v.reached >= 3),
    ('board_approve', '', '', 'Approved for the review board as Quality', v.board_decided_at,
     v.reached >= 4),
    ('to_customer', 'review_board', 'customer_approval', '', v.board_decided_at,
     v.reached >= 4 AND v.approval_required),
    ('board_complete', 'review_board', 'approved', '', v.board_decided_at,
     v.reached >= 5 AND NOT v.approval_required),
    ('board_reject', 'review_board', 'rejected', 'Savings do not cover the risk.',
     v.board_decided_at, v.status = 'rejected' AND NOT v.customer_rejected),
    ('board_defer', 'review_board', 'deferred', 'Wait for the model year.', v.board_decided_at,
     v.status = 'deferred'),
    ('customer_approve', 'customer_approval', 'approved', 'Agreed.', v.customer_decided_at,
     v.reached >= 5 AND v.approval_required AND NOT v.waived),
    ('waive', 'customer_approval', 'approved',
     'Approval by e-mail; the formal notice follows with the next PPAP.', v.customer_decided_at,
     v.waived),
    ('customer_reject', 'customer_approval', 'rejected',
     'Not agreed: the change affects our validation.', v.customer_decided_at,
     v.customer_rejected),
    ('release', 'approved', 'released', '', v.released_at, v.reached >= 6),
    ('ppap_link', '', '', coalesce(v.submission_label, ''), v.released_at,
     v.submission_id IS NOT NULL),
    ('validate', 'released', 'validated', 'All characteristics within tolerance.',
     v.validated_at, v.reached >= 7),
    ('implement', 'validated', 'implemented', '', v.implemented_at, v.reached >= 8),
    ('close', 'implemented', 'closed', '', v.closed_at, v.status = 'closed'),
    ('cancel', CASE WHEN v.submission_id IS NULL THEN 'submitted' ELSE 'released' END,
     'cancelled', 'Covered by another change.', v.closed_at, v.status = 'cancelled')
) AS e(action, from_status, to_status, comment, at, happened)
WHERE e.happened
ORDER BY c.id, e.at
""",
)

# The PPAP submission a released change opened points back at it, as ppap_link does.
_LINK_PPAP = Rows(
    "PPAP links",
    """
UPDATE ppap_ppapsubmission s
SET change_id = c.id, reason_detail = c.number || ': ' || c.title
FROM volume_change_plan v JOIN changes_changerequest c ON c.number = v.number
WHERE s.id = v.submission_id
""",
)

# One row per volume deviation with its status, limits, quantity shipped and the time of each
# step (paced, a day at most, so recent ones have them in the past). Expired, exhausted and closed
# ones are at least ten days old; open ones expire in the future.
_DEVIATION_PLAN = """
CREATE TEMP TABLE volume_deviation_plan ON COMMIT DROP AS
WITH parts AS (
    SELECT row_number() OVER (ORDER BY id) AS k, id, customer_id, part_number,
           row_number() OVER (PARTITION BY customer_id ORDER BY id) AS ck,
           count(*) OVER (PARTITION BY customer_id) AS cn
    FROM customers_part WHERE part_number LIKE %(part_prefix)s
), source AS (
    SELECT g AS i, 1 + floor(random() * %(parts)s)::int AS part_k,
           %(start)s::timestamptz + random() * (%(now)s::timestamptz - %(start)s::timestamptz)
               AS created_at,
           random() AS r_status, random() AS r_limit, random() AS r_qty, random() AS r_ship,
           random() AS r_part
    FROM generate_series(1, %(deviations)s) g
), statused AS (
    SELECT s.*, p.id AS part_id, p.customer_id, p.part_number,
           (SELECT p2.id FROM parts p2 WHERE p2.customer_id = p.customer_id AND p.cn > 1
                AND p2.ck = p.ck %% p.cn + 1 AND s.r_part < 0.25) AS second_part_id,
           extract(year FROM s.created_at)::int AS year,
           row_number() OVER (PARTITION BY extract(year FROM s.created_at)
                              ORDER BY s.created_at, s.i) AS seq,
           least(1, extract(epoch FROM %(now)s::timestamptz - s.created_at) / (30 * 86400))
               * interval '1 day' AS u,
           CASE
             WHEN s.created_at < %(now)s::timestamptz - %(open_days)s * interval '1 day' THEN
               CASE WHEN s.r_status < 0.35 THEN 'closed' WHEN s.r_status < 0.65 THEN 'expired'
                    WHEN s.r_status < 0.80 THEN 'exhausted' WHEN s.r_status < 0.90 THEN 'rejected'
                    ELSE 'cancelled' END
             WHEN s.created_at > %(now)s::timestamptz - interval '10 days' THEN
               (ARRAY['draft', 'requested', 'approved', 'rejected', 'cancelled']
               )[1 + floor(s.r_status * 5)::int]
             ELSE (ARRAY['draft', 'requested', 'approved', 'approved', 'approved', 'rejected',
                         'cancelled', 'closed', 'expired', 'exhausted']
                  )[1 + floor(s.r_status * 10)::int]
           END AS status
    FROM source s JOIN parts p ON p.k = s.part_k
), flagged AS (
    SELECT st.*,
           st.created_at + 2 * st.u AS requested_time,
           st.created_at + 7 * st.u AS decided_time,
           st.status <> 'draft' AND NOT (st.status = 'cancelled' AND st.r_qty < 0.5) AS requested,
           st.status IN ('approved', 'rejected', 'expired', 'exhausted', 'closed') AS decided,
           st.status IN ('approved', 'expired', 'exhausted', 'closed') AS was_approved,
           -- At least one limit: a cap (exhausted ones must have it), an expiry (expired ones).
           st.status = 'exhausted' OR st.r_limit < 0.7 AS has_cap,
           st.status = 'expired' OR st.r_limit >= 0.3 AS has_expiry,
           500 + floor(st.r_qty * 46)::int * 100 AS cap
    FROM statused st
), limited AS (
    SELECT f.*,
           CASE WHEN NOT f.has_expiry THEN NULL
                WHEN f.status = 'expired'
                THEN least(f.decided_time::date + 30 + floor(f.r_ship * 90)::int,
                           %(today)s::date - 1)
                WHEN f.status = 'approved' THEN %(today)s::date + 5 + floor(f.r_ship * 80)::int
                WHEN f.status IN ('draft', 'requested')
                THEN %(today)s::date + 30 + floor(f.r_ship * 90)::int
                ELSE f.decided_time::date + 30 + floor(f.r_ship * 90)::int
           END AS expires_on,
           CASE f.status
             WHEN 'rejected' THEN f.decided_time
             WHEN 'cancelled' THEN f.created_at + 3 * f.u
             WHEN 'closed' THEN f.decided_time
                                + least(interval '30 days',
                                        (%(now)s::timestamptz - f.decided_time) / 2)
           END AS ended_at
    FROM flagged f
), shipped AS (
    SELECT l.*,
           -- The last day shipped under it: never today (the shipments are recorded by now).
           CASE l.status
             WHEN 'approved' THEN %(today)s::date - 1
             WHEN 'expired' THEN l.expires_on
             WHEN 'closed'
             THEN greatest(l.decided_time::date, (l.ended_at - interval '1 day')::date)
             WHEN 'exhausted' THEN least(coalesce(l.expires_on, %(today)s::date - 1),
                                         l.decided_time::date + 60, %(today)s::date - 1)
           END AS ship_end,
           -- Nothing shipped yet under one approved in the last two days.
           CASE WHEN l.decided_time > %(now)s::timestamptz - interval '2 days' THEN 0
                WHEN l.status = 'exhausted' THEN l.cap
                WHEN l.status = 'approved' AND l.has_cap THEN floor(l.cap * 0.7 * l.r_ship)::int
                WHEN l.status IN ('expired', 'closed') AND l.has_cap
                THEN floor(l.cap * (0.2 + 0.7 * l.r_ship))::int
                WHEN l.was_approved THEN 100 * floor(l.r_ship * 30)::int
                ELSE 0 END AS quantity_shipped
    FROM limited l
)
SELECT sh.*,
       'DEV-' || sh.year || '-' || lpad((sh.seq + coalesce(q.last_value, 0))::text, 5, '0')
           AS number,
       CASE WHEN sh.status = 'expired' THEN (sh.expires_on + 1)::timestamptz
            WHEN sh.status = 'exhausted'
            THEN greatest(sh.decided_time + interval '2 hours',
                          sh.ship_end + interval '17 hours')
            ELSE sh.ended_at END AS closed_at
FROM shipped sh
LEFT JOIN core_sequence q ON q.prefix = 'DEV' AND q.year = sh.year
"""

_DEVIATIONS = Rows(
    "deviations",
    """
INSERT INTO changes_deviation (
    version, number, kind, status, title, lots, quantity_cap, expires_on, quantity_shipped,
    specification, actual, reason, risk_assessment, identification, customer_authorisation,
    internal_note, requested_at, decided_at, decision_comment, closed_at, created_at, updated_at,
    change_request_id, created_by_id, customer_id, decided_by_id, originating_claim_id, owner_id
)
SELECT
    1, v.number,
    CASE WHEN v.i %% 5 < 2 THEN 'concession' ELSE 'deviation' END,
    v.status,
    (%(titles)s::text[])[1 + v.i %% %(texts)s] || ' (' || v.part_number || ')',
    'L' || (1000 + v.i %% 9000),
    CASE WHEN v.has_cap THEN v.cap END,
    v.expires_on,
    v.quantity_shipped,
    (%(specifications)s::text[])[1 + v.i %% %(texts)s],
    (%(actuals)s::text[])[1 + v.i %% %(texts)s],
    'Replacement material or tool not available before the agreed delivery date.',
    'No effect on fit, function or safety: FMEA reviewed with the customer.',
    'Each box labelled "DEVIATION ' || v.number || '" in yellow and kept on a separate rack.',
    CASE WHEN v.was_approved THEN 'CA-' || v.number ELSE '' END,
    '',
    CASE WHEN v.requested THEN v.requested_time END,
    CASE WHEN v.decided THEN v.decided_time END,
    CASE WHEN v.status = 'rejected' THEN 'Not acceptable for our assembly line.' ELSE '' END,
    v.closed_at,
    v.created_at,
    coalesce(v.closed_at, CASE WHEN v.decided THEN v.decided_time END,
             CASE WHEN v.requested THEN v.requested_time END, v.created_at),
    NULL, %(engineer)s, v.customer_id,
    -- The customer decides: their user where there is one, else our staff recorded it.
    CASE WHEN NOT v.decided THEN NULL WHEN v.customer_id = %(customer_user_customer)s
         THEN %(customer_user)s ELSE %(engineer)s END,
    NULL, %(engineer)s
FROM volume_deviation_plan v
ORDER BY v.i
""",
)

_DEVIATION_PARTS = Rows(
    "deviation parts",
    """
INSERT INTO changes_deviation_parts (deviation_id, part_id)
SELECT d.id, a.part_id
FROM volume_deviation_plan v
JOIN changes_deviation d ON d.number = v.number
CROSS JOIN LATERAL (VALUES (v.part_id), (v.second_part_id)) AS a(part_id)
WHERE a.part_id IS NOT NULL
ORDER BY d.id, a.part_id
""",
)

# Up to three shipments that add up to the quantity shipped, spread from the approval to the end
# (today, the expiry, the early close or the day the cap was reached).
_SHIPMENTS = Rows(
    "deviation shipments",
    """
INSERT INTO changes_deviationshipment (shipped_on, quantity, lot, shipping_reference, note,
                                       recorded_at, customer_id, deviation_id, recorded_by_id)
SELECT x.shipped_on, x.quantity, d.lots, 'DN-' || d.number || '-' || x.j, '',
       greatest(v.decided_time + interval '1 hour', x.shipped_on + interval '16 hours'),
       d.customer_id, d.id, %(engineer)s
FROM volume_deviation_plan v
JOIN changes_deviation d ON d.number = v.number
CROSS JOIN LATERAL (
    SELECT j,
           v.decided_time::date + ((v.ship_end - v.decided_time::date) * j) / 3 AS shipped_on,
           CASE WHEN j = 3 THEN v.quantity_shipped - 2 * (v.quantity_shipped / 3)
                ELSE v.quantity_shipped / 3 END AS quantity
    FROM generate_series(1, 3) j
) x
WHERE v.quantity_shipped > 0 AND x.quantity > 0
ORDER BY d.id, x.j
""",
)

_DEVIATION_EVENTS = Rows(
    "deviation events",
    """
INSERT INTO changes_deviationevent (action, from_status, to_status, comment, created_at,
                                    actor_id, customer_id, deviation_id)
SELECT e.action, e.from_status, e.to_status, e.comment, e.at,
       CASE WHEN e.action IN ('expire', 'exhaust') THEN NULL
            WHEN e.action IN ('approve', 'reject') THEN d.decided_by_id ELSE %(engineer)s END,
       d.customer_id, d.id
FROM volume_deviation_plan v
JOIN changes_deviation d ON d.number = v.number
CROSS JOIN LATERAL (VALUES
    ('create', '', 'draft', '', v.created_at, true),
    ('request', 'draft', 'requested', '', v.requested_time, v.requested),
    ('approve', 'requested', 'approved', '', v.decided_time, v.was_approved),
    ('reject', 'requested', 'rejected', d.decision_comment, v.decided_time,
     v.status = 'rejected'),
    ('expire', 'approved', 'expired', 'Expiry date ' || v.expires_on || ' passed.', v.closed_at,
     v.status = 'expired'),
    ('exhaust', 'approved', 'exhausted', '', v.closed_at, v.status = 'exhausted'),
    ('close', 'approved', 'closed', 'Original specification met again.', v.closed_at,
     v.status = 'closed'),
    ('cancel', CASE WHEN v.requested THEN 'requested' ELSE 'draft' END, 'cancelled',
     'Parts reworked to the specification instead.', v.closed_at, v.status = 'cancelled')
) AS e(action, from_status, to_status, comment, at, happened)
WHERE e.happened
UNION ALL
SELECT 'ship', '', '', s.quantity || ' parts on ' || s.shipped_on || ', ' || s.shipping_reference,
       s.recorded_at, %(engineer)s, s.customer_id, s.deviation_id
FROM changes_deviationshipment s
WHERE s.deviation_id IN (SELECT d.id FROM changes_deviation d
                         JOIN volume_deviation_plan v ON v.number = d.number)
ORDER BY 8, 5
""",
)

DEVIATION_TEXTS = [
    ("Burr up to 0.3 mm on the mounting bore", "Burr-free bore per drawing note 3.",
     "Burr up to 0.3 mm, deburred at the customer's line."),
    ("Zinc flake instead of zinc-nickel coating", "Zinc-nickel coating, 8 µm.",
     "Zinc flake coating; salt spray test passed."),
    ("Flange runout 0.06 mm instead of 0.05 mm", "Runout ≤ 0.05 mm.", "Runout up to 0.06 mm."),
    ("Weld seam length short by 2 mm", "Seam length 30 ± 1 mm.", "Seam length 28 mm."),
    ("Paint thickness below minimum on a hidden face", "Paint 80–120 µm.",
     "60–80 µm on the hidden face only."),
    ("Alternative steel grade during mill outage", "Steel DC04.",
     "Steel DC05 (higher formability)."),
]  # fmt: skip

_CHANGE_IDS = f"SELECT id FROM changes_changerequest WHERE customer_id IN ({VOLUME_CUSTOMERS})"
_DEVIATION_IDS = f"SELECT id FROM changes_deviation WHERE customer_id IN ({VOLUME_CUSTOMERS})"
# Children first. PPAP submissions stay (ppap.volume removes them next) but let go of the changes.
_RESET = [
    f"UPDATE ppap_ppapsubmission SET change_id = NULL WHERE change_id IN ({_CHANGE_IDS})",
    f"DELETE FROM changes_deviationevent WHERE deviation_id IN ({_DEVIATION_IDS})",
    f"DELETE FROM changes_deviationshipment WHERE deviation_id IN ({_DEVIATION_IDS})",
    f"DELETE FROM changes_deviationreminderlog WHERE deviation_id IN ({_DEVIATION_IDS})",
    f"DELETE FROM changes_deviation_parts WHERE deviation_id IN ({_DEVIATION_IDS})",
    f"DELETE FROM changes_deviation WHERE id IN ({_DEVIATION_IDS})",
    *(
        f"DELETE FROM {table} WHERE change_id IN ({_CHANGE_IDS})"
        for table in (
            "changes_changeevent",
            "changes_changeapprover",
            "changes_changeassessor",
            "changes_stockdisposition",
            "changes_affecteddocument",
            "changes_affectedpart",
            "changes_changereminderlog",
        )
    ),
    f"DELETE FROM changes_changerequest WHERE id IN ({_CHANGE_IDS})",
]

# Tables this module fills: their planner statistics are refreshed after seeding.
TABLES = [
    "changes_changerequest",
    "changes_affectedpart",
    "changes_affecteddocument",
    "changes_changeassessor",
    "changes_changeapprover",
    "changes_changeevent",
    "changes_deviation",
    "changes_deviation_parts",
    "changes_deviationshipment",
    "changes_deviationevent",
]


def exists() -> bool:
    return (
        ChangeRequest.objects.filter(customer__code__regex=CUSTOMER_PATTERN).exists()
        or Deviation.objects.filter(customer__code__regex=CUSTOMER_PATTERN).exists()
    )


def seed(ctx: VolumeContext) -> dict[str, int]:
    params = _params(ctx)
    counts = _seed_changes(ctx, params)
    counts.update(_seed_deviations(ctx, params))
    return counts


def reset(ctx: VolumeContext) -> None:
    delete_rows(_RESET, {"customer_pattern": CUSTOMER_PATTERN})
    rewind_sequences(CHANGE_PREFIX, "changes_changerequest")
    rewind_sequences(DEVIATION_PREFIX, "changes_deviation")


def _params(ctx: VolumeContext) -> dict:
    customer_user = User.objects.get(email=CUSTOMER_USER_EMAIL)
    changes = ctx.count("changes")
    types = [text[0] for text in TEXTS]
    return {
        **volume_parts(),
        **ctx.period(),
        "changes": changes,
        "deviations": ctx.count("deviations"),
        "linked": round(changes * LINKED_SHARE),
        "today": ctx.today.isoformat(),
        "engineer": volume_engineer().pk,
        "customer_user": customer_user.pk,
        "customer_user_customer": customer_user.customer_id,
        "cutoff": (ctx.today - dt.timedelta(days=OPEN_WINDOW_DAYS)).isoformat(),
        "open_statuses": RECENT_STATUSES,
        "statuses": len(RECENT_STATUSES),
        "texts": len(TEXTS),
        "types": types,
        "titles": [text[1] for text in TEXTS],
        "reasons_text": [text[2] for text in TEXTS],
        "befores": [text[3] for text in TEXTS],
        "afters": [text[4] for text in TEXTS],
        # The PSW reason a change of each text suggests, as the service would fill it in.
        "psw_reasons": [str(suggest_psw_reason(kind) or SubmissionReason.OTHER) for kind in types],
        "change_reasons": [str(reason) for reason in REASON_TEXT],
        "reason_texts": list(REASON_TEXT.values()),
        "document_kinds": json.dumps(DOCUMENT_KINDS),
    }


def _seed_changes(ctx: VolumeContext, params: dict) -> dict[str, int]:
    statements = [_PLAN, _CHANGES, _PARTS, _DOCUMENTS, _ASSESSORS, _APPROVERS, _EVENTS]
    statements.append(_LINK_PPAP)
    numbering = (CHANGE_PREFIX, "changes_changerequest")
    return seed_statements(
        ctx, params, statements, numbering=numbering, scratch="volume_change_plan"
    )


def _seed_deviations(ctx: VolumeContext, params: dict) -> dict[str, int]:
    params = params | {
        "open_days": DEVIATION_OPEN_WINDOW_DAYS,
        "texts": len(DEVIATION_TEXTS),
        "titles": [text[0] for text in DEVIATION_TEXTS],
        "specifications": [text[1] for text in DEVIATION_TEXTS],
        "actuals": [text[2] for text in DEVIATION_TEXTS],
    }
    statements = [_DEVIATION_PLAN, _DEVIATIONS, _DEVIATION_PARTS, _SHIPMENTS, _DEVIATION_EVENTS]
    numbering = (DEVIATION_PREFIX, "changes_deviation")
    return seed_statements(
        ctx, params, statements, numbering=numbering, scratch="volume_deviation_plan"
    )
