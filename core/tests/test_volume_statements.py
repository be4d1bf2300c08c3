"""The statement builders and runner the volume modules share (``core.volumes``)."""

from __future__ import annotations

from core import volumes
from core.volumes import Rows, corrective_actions, draws, numbered, seed_statements


class _Context:
    """Records what a seed runs instead of running it."""

    def __init__(self):
        self.run, self.said = [], []

    def execute(self, sql, params=None):
        self.run.append(sql)
        return len(self.run)

    def say(self, message):
        self.said.append(message)


def test_the_rows_statements_are_counted_and_the_scratch_table_dropped(monkeypatch):
    advanced = []
    monkeypatch.setattr(
        volumes, "advance_sequences", lambda ctx, *numbering: advanced.append(numbering)
    )
    ctx = _Context()

    counts = seed_statements(
        ctx,
        {},
        ["CREATE TEMP TABLE t", Rows("widgets", "INSERT 1"), Rows("widget events", "INSERT 2")],
        numbering=("WID", "widgets_widget"),
        scratch="t",
    )

    assert counts == {"widgets": 2, "widget events": 3}
    assert ctx.run == ["CREATE TEMP TABLE t", "INSERT 1", "INSERT 2", "DROP TABLE t"]
    assert advanced == [("WID", "widgets_widget")]
    assert ctx.said == ["  2 widgets, 3 widget events"]


def test_the_draws_and_their_numbering_name_the_record_s_moment():
    sql = draws("volume_x", rows="xs", moment="raised_at", columns="random() AS r_status")
    assert "CREATE TEMP TABLE volume_x ON COMMIT DROP AS" in sql
    assert "AS raised_at" in sql and "random() AS r_status" in sql
    assert "generate_series(1, %(xs)s)" in sql
    head = numbered("raised_at")
    assert "extract(year FROM s.raised_at)::int AS year" in head
    assert head.rstrip().endswith("AS seq,")


def test_a_corrective_action_is_done_once_its_record_is_closed():
    sql = corrective_actions(
        "f",
        title="'T'",
        description="'D'",
        due="f.raised_at::date",
        created="f.raised_at",
        done="'Done.'",
        evidence="'Effective.'",
        content_type="finding_type",
        rest="FROM audits_finding f",
    )
    assert "CASE WHEN f.status = 'closed' THEN 'closed' ELSE 'in_progress' END" in sql
    assert "%(finding_type)s" in sql
    assert sql.rstrip().endswith("FROM audits_finding f")
