"""Changes to a plan as the Working Group makes them: through its services, so audited (and so moving the
partnership's work generation, which what is kept in the cache follows)."""

from csa_tracker.accounts.access import access_for
from priorities.services import plan_update


def introduction_changed(world, text: str) -> None:
    """The Working Group rewords the introduction of `world`'s plan (the plan page's service)."""
    plan = world.plan
    plan_update(
        access=access_for(world.users["working_group"], world.partnership),
        plan=plan,
        title=plan.title,
        starts=plan.starts,
        ends=plan.ends,
        introduction=text,
        reason="Reworded",
    )
