from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from csa_tracker.accounts.models import Role

from .factories import (
    ActionFactory,
    IndicatorFactory,
    MembershipFactory,
    NoteFactory,
    OrganisationFactory,
    PartnershipFactory,
    PlanFactory,
    PlanPriorityFactory,
    ProgressUpdateFactory,
    PublishedUpdateFactory,
    ReadingFactory,
    ReportingCycleFactory,
    UserFactory,
)

ROLES = [Role.PARTNER, Role.WORKING_GROUP, Role.GOVERNING, Role.ADMIN]


@dataclass
class World:
    """One partnership with our organisation and another, a user per role, a plan with one action
    each organisation leads, and a second partnership nobody here belongs to."""

    partnership: object
    own_org: object
    other_org: object
    users: dict
    outsider: object
    plan: object
    plan_priority: object
    cycle: object
    own_action: object
    other_action: object
    indicator: object
    other_partnership: object
    other_plan: object
    other_partnership_action: object
    # Work in progress and published items, per case (own / other_org / other_partnership).
    submitted_updates: dict
    published_updates: dict
    submitted_readings: dict
    published_readings: dict
    other_indicator: object


@pytest.fixture
def world(db) -> World:
    partnership = PartnershipFactory(name="Kent Test Partnership", short_name="KTP", slug="kent-test")
    own_org = OrganisationFactory(partnership=partnership, name="Own District Council")
    other_org = OrganisationFactory(partnership=partnership, name="Other Council")
    users = {}
    for role in ROLES:
        user = UserFactory(username=str(role))
        MembershipFactory(user=user, partnership=partnership, organisation=own_org, role=role)
        users[role] = user
    plan = PlanFactory(partnership=partnership, slug="2017-18", title="Test Agreement 2017/18")
    plan_priority = PlanPriorityFactory(plan=plan, title="Road Safety", priority__slug="road-safety")
    NoteFactory(plan_priority=plan_priority, number=1)
    cycle = ReportingCycleFactory(plan=plan, name="Q4 2017/18")
    own_action = ActionFactory(plan_priority=plan_priority, wording="Own council's action", leads=[own_org])
    other_action = ActionFactory(plan_priority=plan_priority, wording="Other council's action", leads=[other_org])
    PublishedUpdateFactory(action=own_action, cycle=cycle, text="Own published progress.")
    PublishedUpdateFactory(action=other_action, cycle=cycle, text="Other published progress.")
    indicator = IndicatorFactory(partnership=partnership, priority=plan_priority.priority, name="Road casualties")
    ReadingFactory(indicator=indicator, value=5799, period_end=date(2015, 12, 31), period_start=date(2015, 1, 1))
    ReadingFactory(indicator=indicator, value=6122, period_end=date(2016, 12, 31), period_start=date(2016, 1, 1))

    indicator.leads.set([own_org])
    other_indicator = IndicatorFactory(partnership=partnership, name="Other council's figure")
    other_indicator.leads.set([other_org])

    other_partnership = PartnershipFactory(name="Elsewhere Partnership", slug="elsewhere")
    other_plan = PlanFactory(partnership=other_partnership, slug="2017-18")
    other_partnership_action = ActionFactory(
        plan_priority=PlanPriorityFactory(plan=other_plan, priority__slug="road-safety"), leads=[other_org]
    )
    elsewhere_cycle = ReportingCycleFactory(plan=other_plan)
    elsewhere_indicator = IndicatorFactory(partnership=other_partnership)
    elsewhere_indicator.leads.set([own_org])
    partner = users[Role.PARTNER]
    actions = {"own": own_action, "other_org": other_action, "other_partnership": other_partnership_action}
    cycles = {"own": cycle, "other_org": cycle, "other_partnership": elsewhere_cycle}
    indicators = {"own": indicator, "other_org": other_indicator, "other_partnership": elsewhere_indicator}
    orgs = {"own": own_org, "other_org": other_org, "other_partnership": other_org}
    submitted_updates = {
        case: ProgressUpdateFactory(
            action=action,
            cycle=cycles[case],
            state="submitted",
            author=partner,
            organisation=orgs[case],
            submitted_at=timezone.now(),
            text=f"Submitted progress ({case}).",
        )
        for case, action in actions.items()
    }
    published_updates = {
        "own": own_action.updates.published().get(),
        "other_org": other_action.updates.published().get(),
        "other_partnership": PublishedUpdateFactory(action=other_partnership_action, cycle=elsewhere_cycle),
    }
    submitted_readings = {
        case: ReadingFactory(
            indicator=found,
            state="submitted",
            author=partner,
            organisation=orgs[case],
            value=150,
            period_start=date(2018, 1, 1),
            period_end=date(2018, 12, 31),
            published_at=None,
            submitted_at=timezone.now(),
        )
        for case, found in indicators.items()
    }
    published_readings = {
        "own": indicator.readings.published().order_by("period_end").last(),
        "other_org": ReadingFactory(indicator=other_indicator),
        "other_partnership": ReadingFactory(indicator=elsewhere_indicator),
    }
    return World(
        partnership=partnership,
        own_org=own_org,
        other_org=other_org,
        users=users,
        outsider=UserFactory(username="outsider"),
        plan=plan,
        plan_priority=plan_priority,
        cycle=cycle,
        own_action=own_action,
        other_action=other_action,
        indicator=indicator,
        other_partnership=other_partnership,
        other_plan=other_plan,
        other_partnership_action=other_partnership_action,
        submitted_updates=submitted_updates,
        published_updates=published_updates,
        submitted_readings=submitted_readings,
        published_readings=published_readings,
        other_indicator=other_indicator,
    )


@pytest.fixture
def client_as(client):
    """`client_as(user)`: the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 is deliberately slow; tests create many users and do not test hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def second_factor_only_where_tested(request, settings):
    """`force_login` skips the sign-in form, so it cannot give a second factor either: tests of pages
    run without the 2FA requirement, and tests marked `two_factor` run with it."""
    settings.CSA_REQUIRE_2FA = request.node.get_closest_marker("two_factor") is not None


@pytest.fixture(autouse=True)
def local_cache(settings):
    """Each test process has a cache of its own, whatever REDIS_URL says (the multi-instance test
    starts its servers with Redis itself)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()  # local memory outlives the test's database: no figures from an earlier test


@pytest.fixture(autouse=True)
def jobs_run_at_once(settings):
    """Background jobs run where they are queued (Django Tasks' immediate backend); the worker itself is
    tested in tests/operations/test_background_jobs.py."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def pages_built_every_time(settings):
    """No fragment cache: for tests that write rows with factories (behind the audited services, so no
    new work generation) between two requests, and for query counts of the pages' own work."""
    settings.CSA_FRAGMENT_CACHE = False


@pytest.fixture(autouse=True)
def spreadsheet_uploads(settings, tmp_path):
    """Uploaded spreadsheets wait in a folder of each test's own."""
    location = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}},
    }
    return location


@pytest.fixture(autouse=True)
def evidence_files(settings, tmp_path):
    """Evidence files go to a private folder of each test's own."""
    location = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "csa_tracker.storage.PrivateStorage", "OPTIONS": {"location": location}},
    }
    return location


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path):
    """Stored report outputs and uploaded Word templates go to a folder of each test's own, never `media/`."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def email_to_outbox(settings):
    """E-mail the app sends lands in `mail.outbox` at once. Production queues it in the database
    (django-mailer) for `manage.py send_mail`; tests/workflow/test_email_queue.py tests that path."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
