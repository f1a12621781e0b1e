"""The background worker (issue 26): publishing a report and queuing e-mail leave the work to the worker
(`manage.py tasks_worker`), which does it once, even when a worker was killed half-way through a job."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from mailer.models import Message

from csa_tracker.accounts.access import access_for
from csa_tracker.operations.jobs import worker_id
from indicators.models import IndicatorReading
from reports.models import ReportOutput
from reports.outputs import report_output_get
from reports.services import report_publish
from tests.factories import ActionFactory
from tests.spreadsheet_files import READING_HEADER, csv_bytes, preview

pytestmark = pytest.mark.django_db(transaction=True)  # the worker takes its own transactions


@pytest.fixture
def database_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def publish(world):
    report, created = report_publish(
        access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle
    )
    assert created
    return report


def test_publishing_queues_the_outputs_for_the_worker_which_makes_each_once(world, database_jobs):
    report = publish(world)
    [job] = DBTaskResult.objects.all()
    assert (job.task_path, job.status) == ("reports.tasks.build_report_outputs", TaskResultStatus.READY)
    assert ReportOutput.objects.count() == 0  # nothing was rendered inside the publishing request

    call_command("tasks_worker", batch=True, interval=0)
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert sorted(ReportOutput.objects.filter(report=report).values_list("format", "audience")) == [
        ("docx", "full"),
        ("docx", "members"),
        ("pdf", "full"),
        ("pdf", "members"),
    ]


def test_a_job_killed_half_way_runs_again_without_doubling_anything(world, database_jobs):
    report = publish(world)
    made_before = report_output_get(report=report, format="pdf", audience="full")  # done before the kill
    job = DBTaskResult.objects.get()
    dead = worker_id(pid=2**22 + 7)  # a process id no running process has
    DBTaskResult.objects.filter(pk=job.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=[dead]
    )

    call_command("tasks_worker", batch=True, interval=0)
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert ReportOutput.objects.filter(report=report).count() == 4
    assert ReportOutput.objects.get(report=report, format="pdf", audience="full").pk == made_before.pk


def test_a_job_running_in_a_live_worker_is_left_alone(world, database_jobs):
    publish(world)
    job = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=job.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=[worker_id()]
    )
    call_command("tasks_worker", batch=True, interval=0)
    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING
    assert ReportOutput.objects.count() == 0


def test_queued_mail_is_delivered_by_the_worker_after_the_request(world, database_jobs, settings, client, tmp_path):
    settings.EMAIL_BACKEND = "csa_tracker.mail.QueuedBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MAILER_LOCK_PATH = str(tmp_path / "send-mail")
    action = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org])
    client.force_login(world.users["partner"])
    url = reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": action.pk})
    posted = client.post(url, {"text": "Trained 40 staff.", "status": action.status_id, "submit": "1"})
    assert posted.status_code == 302
    assert mail.outbox == []
    assert Message.objects.count() == 1
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == ["csa_tracker.mail.deliver_mail"]

    call_command("tasks_worker", batch=True, interval=0)
    [sent] = mail.outbox
    assert sent.to == [world.users["working_group"].email]
    assert Message.objects.count() == 0


def test_the_report_page_says_the_files_are_being_made_until_the_worker_has_made_them(world, database_jobs, client):
    report = publish(world)
    client.force_login(world.users["governing"])
    status_url = reverse(
        "report_outputs_status",
        kwargs={"partnership": "kent-test", "plan": "2017-18", "cycle": "q4-2017-18", "version": report.version},
    )
    page = client.get(report.get_absolute_url()).content.decode()
    assert "being made" in page and f'data-status-url="{status_url}"' in page
    assert client.get(status_url).json() == {"ready": 0, "total": 2}

    call_command("tasks_worker", batch=True, interval=0)
    assert client.get(status_url).json() == {"ready": 2, "total": 2}
    assert "being made" not in client.get(report.get_absolute_url()).content.decode()


READINGS = [["Road casualties", "Kent", f"31/12/{year}", f"{1000 + year}", "", ""] for year in (2012, 2013, 2014)]


def test_a_large_import_is_written_by_the_worker_and_its_page_says_when(world, database_jobs, settings, client):
    settings.CSA_IMPORT_IN_BACKGROUND_ROWS = 2  # three rows count as a large file here
    client.force_login(world.users["partner"])
    before = IndicatorReading.objects.filter(indicator=world.indicator).count()
    page, url = preview(client, world.partnership, csv_bytes([READING_HEADER, *READINGS]))
    assert "Confirm: import 3 indicator readings" in page.content.decode()

    confirmed = client.post(url, {"confirm": "1"})
    assert confirmed.status_code == 200
    assert "Importing 3 indicator readings: the rows are being written now." in confirmed.content.decode()
    assert client.get(url, {"outcome": "1"}).json() == {"state": "queued"}
    assert IndicatorReading.objects.filter(indicator=world.indicator).count() == before

    call_command("tasks_worker", batch=True, interval=0)
    assert client.get(url, {"outcome": "1"}).json() == {"state": "done"}
    shown = client.get(url, follow=True)
    # A partner lands on the readings section of My actions, where the imported readings are listed.
    landing = reverse("my_work", kwargs={"partnership": "kent-test"}) + "#indicator-readings"
    assert shown.redirect_chain == [(landing, 302)]
    assert "Imported 3 indicator readings as submitted for review" in shown.content.decode()
    assert IndicatorReading.objects.filter(indicator=world.indicator).count() == before + 3
    assert "Already imported" in client.get(url).content.decode()  # told once; Back says it is done


def test_a_large_import_refused_when_the_worker_writes_it_says_why_on_its_page(world, database_jobs, settings, client):
    settings.CSA_IMPORT_IN_BACKGROUND_ROWS = 2
    client.force_login(world.users["partner"])
    before = IndicatorReading.objects.count()
    _, url = preview(client, world.partnership, csv_bytes([READING_HEADER, *READINGS]))
    client.post(url, {"confirm": "1"})
    world.indicator.leads.set([world.other_org])  # the partner's organisation no longer leads it

    call_command("tasks_worker", batch=True, interval=0)
    assert client.get(url, {"outcome": "1"}).json() == {"state": "refused"}
    page = client.get(url).content.decode()
    # The file is previewed again before anything is written: its rows now read differently.
    assert "What is recorded changed since this preview was made" in page
    assert "Confirm: import" not in page  # every row is now in error: nothing to confirm
    assert IndicatorReading.objects.count() == before
