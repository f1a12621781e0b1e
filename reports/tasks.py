"""The report's background work (Django's Tasks API, the `django-tasks` backport): a published version's
PDF and .docx are made by the worker, not inside the publishing request (issue 26)."""

from django_tasks import task

from .outputs import report_outputs_build


@task()
def build_report_outputs(report_id: int) -> None:
    """Make and store every output of a published version. Safe to run again (a job killed half-way
    is): an output already stored is kept, one per report, format and audience (its unique constraint)."""
    report_outputs_build(report_id=report_id)
