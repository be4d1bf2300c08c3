"""Celery tasks of the metrics app: thin wrappers around one service each (DESIGN §7)."""

from celery import Task, shared_task

from . import reports


class ReportTask(Task):
    """Marks the report failed once the retries are used up (a report done stays done)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        report_id = args[0] if args else kwargs.get("report_id")
        if report_id is not None:
            reports.report_failed(report_id, exc)


@shared_task(
    name="metrics.generate_monthly_reports",
    acks_late=True,
    autoretry_for=reports.TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def generate_monthly_reports(period: str | None = None) -> list[int]:
    """Monthly (beat, migration 0003): last month's company report and one per active customer."""
    return reports.monthly_reports_request(period)


@shared_task(
    name=reports.GENERATE_REPORT_TASK,
    base=ReportTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=reports.TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def generate_report(report_id: int) -> str:
    """Generate one report's PDF and e-mail it; a redelivered message finishes the job once."""
    return reports.report_generate(report_id)
