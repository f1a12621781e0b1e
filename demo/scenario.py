"""Work in progress for the demo: an open Q4 2017/18 cycle in which the demo partner has a draft, a
returned update and a flagged submission, so `make run` shows every role something to do.

Everything goes through the review services, so the audit trail is real, with notify=False: seeding
demo work must not e-mail anyone. Runs once per database.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from actions.models import Action, ProgressUpdate, Status
from csa_tracker.accounts.access import access_for
from cycles.models import CycleState, ReportingCycle
from indicators.models import Indicator, IndicatorReading
from priorities.models import Plan
from workflow.services import item_publish, item_return, item_save

from .loader import upsert

OPEN_CYCLE = {
    "name": "Q4 2017/18",
    "period_start": date(2018, 1, 1),
    "period_end": date(2018, 3, 31),
    "update_deadline": date(2018, 4, 20),
    "review_meeting": date(2018, 5, 2),
    "governing_meeting": date(2018, 5, 24),
}


def _action(plan, wording_start: str) -> Action:
    return Action.objects.get(plan_priority__plan=plan, wording__startswith=wording_start)


@transaction.atomic
def load_scenario(plan: Plan, *, partner, reviewer) -> bool:
    """Returns False when the scenario is already there."""
    cycle = upsert(ReportingCycle, {"plan": plan, "name": OPEN_CYCLE["name"]}, {**OPEN_CYCLE, "state": CycleState.OPEN})
    if ProgressUpdate.objects.filter(cycle=cycle).exists():
        return False
    as_partner = access_for(partner, plan.partnership)
    as_reviewer = access_for(reviewer, plan.partnership)
    in_progress = Status.objects.get(partnership=plan.partnership, name="In progress")
    delayed = Status.objects.get(partnership=plan.partnership, name="Delayed")

    dhr = _action(plan, "Commission and support the Domestic Homicide")
    item_save(
        access=as_partner,
        model=ProgressUpdate,
        fields={
            "action": dhr,
            "cycle": cycle,
            "text": dhr.latest_published.text
            + "\n\n- Two further reviews have been commissioned since January, bringing the total managed to eleven.",
            "status": in_progress,
            "flag": "area_of_concern",
            "flag_reason": "Eleven live reviews stretch the team; two chairs have withdrawn.",
        },
        submit=True,
        notify=False,
    )

    oss = _action(plan, "Monitoring of One Stop Shops")
    returned = item_save(
        access=as_partner,
        model=ProgressUpdate,
        fields={"action": oss, "cycle": cycle, "text": oss.latest_published.text, "status": delayed},
        submit=True,
        notify=False,
    )
    item_return(
        access=as_reviewer,
        item=returned,
        version=returned.version,
        comment="Please say when the 2016/17 One Stop Shop report will be signed off.",
        notify=False,
    )

    online = _action(plan, "Provide four online safety awareness sessions")
    item_save(
        access=as_partner,
        model=ProgressUpdate,
        fields={
            "action": online,
            "cycle": cycle,
            "text": "All four Online Safety Awareness sessions were delivered between January and March 2018.",
            "status": in_progress,
        },
        notify=False,
    )

    # Two already published this cycle, so the Working Group's completeness board shows progress.
    for wording in ("ASB workshops delivered", "Develop and deliver the annual Community Safety Conference"):
        done = _action(plan, wording)
        submitted = item_save(
            access=as_partner,
            model=ProgressUpdate,
            fields={
                "action": done,
                "cycle": cycle,
                "text": done.latest_published.text + "\n\n- No further activity this quarter: the action is complete.",
                "status": done.status,
            },
            submit=True,
            notify=False,
        )
        item_publish(access=as_reviewer, item=submitted, version=submitted.version, notify=False)

    visitors = Indicator.objects.get(partnership=plan.partnership, slug="oss-visitors")
    item_save(
        access=as_partner,
        model=IndicatorReading,
        fields={
            "indicator": visitors,
            "geography": visitors.geography,
            "period_start": date(2017, 7, 1),
            "period_end": date(2018, 6, 30),
            "value": Decimal(3650),
            "approximate": True,
            "source_note": "One Stop Shop returns, provisional",
        },
        submit=True,
        notify=False,
    )
    return True
