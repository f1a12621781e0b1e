from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from actions.models import Action, FundingSource, ProgressUpdate, Status, Theme
from csa_tracker.accounts.models import Membership, Organisation, Partnership, Role
from cycles.models import ReportingCycle
from indicators.models import Geography, Indicator, IndicatorReading, Population
from priorities.models import Note, Plan, PlanPriority, Priority
from workflow.models import ReviewState

PASSWORD = "a-test-password-1"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    short_name = factory.Sequence(lambda n: f"P{n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.Sequence(lambda n: f"O{n}")
    kind = Organisation.Kind.DISTRICT_COUNCIL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory, partnership=factory.SelfAttribute("..partnership"))
    role = Role.PARTNER


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Community Safety Agreement {2017 + n}")
    slug = factory.Sequence(lambda n: f"{2017 + n}-{(18 + n) % 100:02d}")
    starts = date(2017, 4, 1)
    ends = date(2018, 3, 31)
    introduction = "The Working Group manages this plan."


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    partnership = factory.SubFactory(PartnershipFactory)
    slug = factory.Sequence(lambda n: f"priority-{n}")


class PlanPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanPriority

    plan = factory.SubFactory(PlanFactory)
    priority = factory.SubFactory(PriorityFactory, partnership=factory.SelfAttribute("..plan.partnership"))
    title = factory.Sequence(lambda n: f"Priority {n}")
    order = factory.Sequence(lambda n: n)
    context = "Context with a note reference.[^1]"


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    plan_priority = factory.SubFactory(PlanPriorityFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Office for National Statistics. Crime in England and Wales (January 2018)"


class StatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Status
        django_get_or_create = ["partnership", "name"]

    partnership = factory.SubFactory(PartnershipFactory)
    name = "In progress"
    order = 2
    severity = 1


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource
        django_get_or_create = ["partnership", "name"]

    partnership = factory.SubFactory(PartnershipFactory)
    name = "Core funding"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["partnership", "name"]

    partnership = factory.SubFactory(PartnershipFactory)
    name = "Vulnerability"
    order = factory.Sequence(lambda n: n)


class ReportingCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingCycle

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Q{n % 4 + 1} cycle {n}")
    period_start = date(2018, 1, 1)
    period_end = date(2018, 3, 31)
    update_deadline = date(2018, 2, 16)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    plan_priority = factory.SubFactory(PlanPriorityFactory)
    wording = factory.Sequence(lambda n: f"Deliver initiative number {n}")
    status = factory.SubFactory(StatusFactory, partnership=factory.SelfAttribute("..plan_priority.plan.partnership"))
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.leads.set(extracted)

    @factory.post_generation
    def supporters(self, create, extracted, **kwargs):
        if create and extracted:
            self.supporters.set(extracted)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    cycle = factory.SubFactory(ReportingCycleFactory, plan=factory.SelfAttribute("..action.plan_priority.plan"))
    text = "Work is ongoing."
    status = factory.SubFactory(
        StatusFactory, partnership=factory.SelfAttribute("..action.plan_priority.plan.partnership")
    )
    state = ReviewState.DRAFT
    flag = ""
    rule_flags = factory.LazyFunction(list)
    # What the review engine stores beside the flags (workflow.models.flag_fields); factories save directly.
    flagged = factory.LazyAttribute(lambda item: bool(item.flag or item.rule_flags))


class PublishedUpdateFactory(ProgressUpdateFactory):
    state = ReviewState.PUBLISHED
    submitted_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(timezone.now)


class GeographyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Geography
        django_get_or_create = ["partnership", "name"]

    # An area within another belongs to the same partnership (areas are per partnership).
    parent = None
    partnership = factory.LazyAttribute(lambda area: area.parent.partnership if area.parent else PartnershipFactory())
    name = "Kent"
    kind = Geography.Kind.COUNTY


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population
        django_get_or_create = ["geography", "year"]

    geography = factory.SubFactory(GeographyFactory)
    year = 2017
    value = 1_554_600


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    partnership = factory.SubFactory(PartnershipFactory)
    slug = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    period_type = "calendar_year"
    polarity = "lower_is_better"
    geography = factory.SubFactory(GeographyFactory, partnership=factory.SelfAttribute("..partnership"))
    source = "Kent Police"


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorReading
        skip_postgeneration_save = True

    indicator = factory.SubFactory(IndicatorFactory)
    geography = factory.SelfAttribute("indicator.geography")
    period_start = date(2017, 1, 1)
    period_end = date(2017, 12, 31)
    value = 100
    state = ReviewState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    flag = ""
    rule_flags = factory.LazyFunction(list)
    flagged = factory.LazyAttribute(lambda item: bool(item.flag or item.rule_flags))

    @factory.post_generation
    def as_published(reading, create, extracted, **kwargs):
        """A published reading leaves its indicator's `stale_from` as publishing would."""
        if create and reading.state == ReviewState.PUBLISHED:
            reading.on_published()
