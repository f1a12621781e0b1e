"""Two reviewers deciding one item at the same moment: exactly one decision lands (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Role
from csa_tracker.refusals import Refusal
from tests.audit_entries import entries
from tests.factories import ActionFactory, MembershipFactory, ProgressUpdateFactory, UserFactory
from workflow.models import ReviewState
from workflow.services import item_publish, item_return
from workflow.transitions import Transition

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


def run_together(*calls):
    """Run each call in its own thread and connection, released at the same instant."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            call()
            outcomes[index] = "ok"
        except Refusal as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_two_reviewers_deciding_at_once_exactly_one_succeeds(attempt):
    action = ActionFactory()
    partnership = action.plan_priority.plan.partnership
    reviewers = []
    for _ in range(2):
        user = UserFactory()
        MembershipFactory(user=user, partnership=partnership, role=Role.WORKING_GROUP)
        reviewers.append(access_for(user, partnership))
    update = ProgressUpdateFactory(action=action, state=ReviewState.SUBMITTED, author=UserFactory())

    outcomes = run_together(
        lambda: item_publish(access=reviewers[0], item=update, version=update.version),
        lambda: item_return(access=reviewers[1], item=update, version=update.version, comment="Not yet."),
    )

    assert sorted(outcome == "ok" for outcome in outcomes) == [False, True]
    loser = next(outcome for outcome in outcomes if outcome != "ok")
    assert "changed while you were looking at it" in str(loser)
    update.refresh_from_db()
    decisions = entries(update, verb__in=[Transition.PUBLISH, Transition.RETURN])
    assert decisions.count() == 1
    assert update.state == decisions.get().to_state
    assert update.version == 2


@pytest.mark.django_db(transaction=True)
def test_two_partners_starting_an_update_at_once_leave_one_open_update():
    from workflow.services import item_save

    action = ActionFactory()
    partnership = action.plan_priority.plan.partnership
    cycle = ProgressUpdateFactory(action=action, state=ReviewState.PUBLISHED).cycle
    accesses = []
    for _ in range(2):
        user = UserFactory()
        MembershipFactory(user=user, partnership=partnership, role=Role.WORKING_GROUP)
        accesses.append(access_for(user, partnership))

    def start(access):
        return lambda: item_save(
            access=access,
            model=type(cycle.updates.first()),
            fields={"action": action, "cycle": cycle, "text": "Mine.", "status": action.status},
        )

    outcomes = run_together(start(accesses[0]), start(accesses[1]))
    assert sorted(outcome == "ok" for outcome in outcomes) == [False, True]
    assert action.updates.open().count() == 1
