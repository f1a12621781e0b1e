"""Review steps that need two people, for tests in any folder."""

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Role
from workflow.models import ReviewState
from workflow.services import item_correct, item_publish

from .factories import MembershipFactory, UserFactory


def colleague_of(access):
    """Another Working Group member of the same partnership and organisation, as an Access."""
    colleague = UserFactory()
    MembershipFactory(
        user=colleague,
        partnership=access.partnership,
        organisation_id=min(access.organisation_ids),
        role=Role.WORKING_GROUP,
    )
    return access_for(colleague, access.partnership)


def corrected_and_published(*, access, item, fields: dict, reason: str):
    """A correction written by `access` and, where the partnership keeps four eyes on publication,
    published by a colleague (workflow.services.item_correct)."""
    corrected = item_correct(access=access, item=item, fields=fields, reason=reason)
    if corrected.state == ReviewState.PUBLISHED:
        return corrected
    return item_publish(access=colleague_of(access), item=corrected, version=corrected.version)
