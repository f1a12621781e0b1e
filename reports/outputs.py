"""Report outputs made once: a published version's PDF and .docx are rendered from its frozen snapshot
the first time anyone asks for them, kept in the default storage (`STORAGES["default"]`, shared by
every instance) and served from there afterwards. A version never changes, so neither does its file.

The partnership's Word template is part of the .docx: replacing or removing it drops the stored .docx
files of that partnership's reports, which are made again, on the new template, when next asked for.
"""

from __future__ import annotations

import hashlib
import logging
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from docx import Document

from csa_tracker.audit.services import audit_record
from csa_tracker.audit.stale import refuse_if_moved
from csa_tracker.forms import digest

from .audience import AUDIENCES, snapshot_as
from .models import OutputFormat, Report, ReportOutput, ReportSettings, cycle_slug
from .policies import REPORT_SETTINGS
from .rendering import render_pdf
from .word import render_docx
from .word_template import MAX_FILE_BYTES, SAVE_AGAIN, TOO_LARGE, word_template_problem

logger = logging.getLogger(__name__)


def report_output_get(*, report: Report, format: str, audience: str) -> ReportOutput:
    """The stored output of `report` in `format` ("pdf" or "docx") for `audience` (reports.audience),
    rendered and stored first if need be.

    Two people asking at once for an output not made yet may both render it; the unique constraint
    on (report, format, audience) keeps one, and the other's file is deleted.
    """
    found = ReportOutput.objects.filter(report=report, format=format, audience=audience).first()
    if found is not None and found.file.storage.exists(found.file.name):
        return found
    if found is not None:
        # The row outlived its file (a database restored without the media folder, a cleared disk):
        # make the file again from the stored snapshot rather than fail the download.
        logger.warning("Report output file missing; rendering again", extra={"report": report.pk, "format": format})
        found.delete()
    content = _render(report, format, snapshot_as(report.snapshot, audience))
    plan = report.plan
    name = f"{plan.partnership.slug}-{plan.slug}-{cycle_slug(report.cycle)}-v{report.version}-{audience}.{format}"
    output = ReportOutput(
        report=report, format=format, audience=audience, etag=hashlib.sha256(content).hexdigest(), size=len(content)
    )
    output.file.save(name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            output.save()
    except IntegrityError:
        output.file.delete(save=False)
        return ReportOutput.objects.get(report=report, format=format, audience=audience)
    logger.info("Stored report output", extra={"report": report.pk, "format": format, "bytes": len(content)})
    return output


def outputs_made(*, report: Report, audience: str) -> int:
    """How many of `report`'s files (one per format) are stored for `audience` so far."""
    return ReportOutput.objects.filter(report=report, audience=audience).count()


def report_outputs_build(*, report_id: int) -> None:
    """Make and store every output of a just-published version, so the first readers (a board meeting
    downloading at once) are served from storage instead of each rendering it. Run after the publishing
    transaction commits; a failure is logged and left to the first download, never to the publisher."""
    report = Report.objects.select_related("plan__partnership", "cycle").filter(pk=report_id).first()
    for format in OutputFormat.values if report is not None else ():
        for audience in AUDIENCES:
            try:
                report_output_get(report=report, format=format, audience=audience)
            except Exception:  # the publish has happened; the download will try again and show its own error
                logger.exception("Could not make a report output", extra={"report": report_id, "format": format})


def _render(report: Report, format: str, snapshot: dict) -> bytes:
    if format == OutputFormat.PDF:
        return render_pdf(report, snapshot=snapshot)
    if format == OutputFormat.DOCX:
        template = _word_template(report.plan.partnership_id)
        if template is not None:
            try:
                return render_docx(report, snapshot=snapshot, template=template)
            except Exception:  # whatever in the template python-docx cannot build on: the plain layout
                logger.exception("Could not build the report on the Word template; using the plain layout")
        return render_docx(report, snapshot=snapshot)
    raise ValueError(f"Unknown report output format: {format!r}")


def _word_template(partnership_id: int) -> BytesIO | None:
    """The partnership's Word template to build a .docx on, or None for the plain layout: when it has
    none, when its file is gone (a database restored without the media folder) and when it is beyond
    the bounds of `word_template.word_template_problem` (one stored before they were checked). The last
    two are logged, so the service owner can have the template uploaded again; so is a template the
    report cannot be built on (`_render` then uses the plain layout too)."""
    settings = ReportSettings.objects.filter(partnership=partnership_id).first()
    if settings is None or not settings.word_template:
        return None
    name = settings.word_template.name
    try:
        with settings.word_template.open("rb") as stored:
            data = stored.read(MAX_FILE_BYTES + 1)
    except OSError:
        logger.warning("Word template file missing; using the plain layout", extra={"file": name})
        return None
    problem = word_template_problem(data)
    if problem:
        logger.warning("Word template refused; using the plain layout", extra={"file": name, "problem": problem})
        return None
    return BytesIO(data)


def validate_word_template(upload) -> None:
    """Raises ValidationError unless `upload` is a .docx within the bounds of
    `word_template.word_template_problem` (5 MB, 5 MB of XML, 25 MB unpacked, 200,000 elements) that
    python-docx can open, with the page setup the report is built on. The bounds are checked first, on the zip's
    directory and a streamed count, so a hostile file costs neither the memory nor the time of parsing
    it (tests/reports/test_hostile_word_template.py)."""
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(TOO_LARGE)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    problem = word_template_problem(data)
    if problem:
        raise ValidationError(problem)
    try:
        sections = len(Document(BytesIO(data)).sections)
    except Exception as exc:  # python-docx raises several kinds for a file that is not a Word document
        raise ValidationError(f"This file is not a Word document (.docx) that we can read: {SAVE_AGAIN}.") from exc
    if not sections:  # Word always writes one; without it there is no page to build the report on
        raise ValidationError(f"This document has no page setup (margins, header and footer): {SAVE_AGAIN}.")


def word_template_shown(settings: ReportSettings | None) -> str:
    """The `digest` of the Word template as the settings page shows it (its stored file, or none), so
    an upload or removal over one made meanwhile in another tab is refused as stale (issue 23)."""
    return digest(settings.word_template.name if settings is not None and settings.word_template else "")


@transaction.atomic
def word_template_save(*, access, upload, seen: str | None = None) -> ReportSettings:
    """Store `upload` (validated with `validate_word_template`) as the partnership's Word template;
    the Working Group only, audited. Stored .docx outputs are dropped so they are made again on it.
    Raises NotAllowed for anyone else; Stale when the template changed since the page showing `seen`
    (`word_template_shown`) was opened."""
    settings, _ = ReportSettings.objects.select_for_update().get_or_create(partnership=access.partnership)
    REPORT_SETTINGS.check(access, "change", settings)
    refuse_if_moved(settings, seen, word_template_shown(settings), noun="the Word template")
    old = settings.word_template.name if settings.word_template else ""
    before = settings.word_template_name
    settings.word_template.save(upload.name, upload, save=False)
    settings.word_template_name = upload.name[:255]
    settings.updated_by = access.user
    settings.save()
    audit_record(
        settings,
        actor=access.user,
        verb="edit",
        summary="Word template uploaded",
        changes={"Word template": [before, settings.word_template_name]},
        partnership=access.partnership,
    )
    _drop_word_outputs(access.partnership)
    if old:
        transaction.on_commit(lambda: settings.word_template.storage.delete(old))
    return settings


@transaction.atomic
def word_template_remove(*, access, seen: str | None = None) -> None:
    """Go back to the plain layout; the Working Group only, audited. Raises NotAllowed for anyone
    else; Stale when the template changed since the page showing `seen` was opened (a template
    uploaded meanwhile is not removed unseen)."""
    settings = ReportSettings.objects.select_for_update().filter(partnership=access.partnership).first()
    REPORT_SETTINGS.check(access, "change", settings or ReportSettings(partnership=access.partnership))
    if settings is not None:
        refuse_if_moved(settings, seen, word_template_shown(settings), noun="the Word template")
    if settings is None or not settings.word_template:
        return
    old, storage = settings.word_template.name, settings.word_template.storage
    audit_record(
        settings,
        actor=access.user,
        verb="edit",
        summary="Word template removed: the plain layout again",
        changes={"Word template": [settings.word_template_name, ""]},
        partnership=access.partnership,
    )
    settings.word_template = ""
    settings.word_template_name = ""
    settings.updated_by = access.user
    settings.save()
    _drop_word_outputs(access.partnership)
    transaction.on_commit(lambda: storage.delete(old))


def report_outputs_drop(*, report: Report) -> None:
    """Forget the stored files of `report`: a correction marks the version it replaces as superseded,
    which its PDF and .docx must say too. They are made again when next asked for."""
    _drop(ReportOutput.objects.filter(report=report))


def _drop_word_outputs(partnership) -> None:
    _drop(ReportOutput.objects.filter(format=OutputFormat.DOCX, report__plan__partnership=partnership))


def _drop(queryset) -> None:
    """Delete the rows now and their files once the transaction commits (a rollback keeps both)."""
    found = list(queryset)
    names = [output.file.name for output in found]
    ReportOutput.objects.filter(pk__in=[output.pk for output in found]).delete()
    if found:
        storage = found[0].file.storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
