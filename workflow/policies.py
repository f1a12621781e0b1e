"""Who may do what to progress updates and indicator readings (one policy per kind of item, built
from the policy of its subject), and to escalations. `csa_tracker.accounts.policies` explains the shape.
"""

from __future__ import annotations

from django.db.models import Q

from csa_tracker.accounts.policies import READ_ANY, Act, Can, Policy

from .publishers import publish_refusal
from .states import RequestState, ReviewState

NOT_YOURS = "Your organisation does not lead or support this."
ONLY_WG = "Only the Working Group decides on submitted items, corrects and escalates them."
NOT_IN_CONVERSATION = (
    "Only the Working Group and the partners whose organisations lead or support this write in its conversation."
)


class ReviewedItemPolicy(Policy):
    """Published items for everyone the partnership lets in; work in progress for the Working Group,
    and for partners on the subjects their organisations may write on (`subject_policy`'s
    "write_progress"). The Working Group decides; where the partnership keeps four eyes on
    publication, never on what the same person submitted, imported or corrected."""

    acts = {
        "read": READ_ANY,
        "edit": Act(Can.WRITE_PROGRESS, NOT_YOURS),  # start, change, submit, withdraw, import
        "delete": Act(Can.WRITE_PROGRESS, "Only the person who wrote this draft can delete it."),
        "review": Act(Can.REVIEW, ONLY_WG),  # return, escalate, read the history
        "publish": Act(Can.REVIEW, ONLY_WG),
        "correct": Act(Can.REVIEW, ONLY_WG),
        # The conversation on an item: the Working Group and the partners who write on its subject (issue 28).
        "converse": Act(Can.WRITE_PROGRESS, NOT_IN_CONVERSATION),
    }

    def __init__(self, *, partnership_path: str, subject_field: str, subject_policy: Policy):
        self.partnership_path = partnership_path
        self.subject_field = subject_field
        self.subject_policy = subject_policy

    def narrow(self, items, access, act: str):
        if act != "read" or access.can(Can.REVIEW):
            return items
        published = Q(state=ReviewState.PUBLISHED)
        if access.can(Can.WRITE_PROGRESS):
            subjects = self.subject_policy.scope(self.subject_model(items).objects.all(), access, "write_progress")
            return items.filter(published | Q(**{f"{self.subject_field}__in": subjects}))
        return items.filter(published)

    def subject_model(self, items):
        return items.model._meta.get_field(self.subject_field).related_model

    def object_refusal(self, access, act: str, item) -> str:
        if act in ("edit", "delete", "converse") and not self.subject_policy.permits(
            access, "write_progress", getattr(item, self.subject_field)
        ):
            return NOT_IN_CONVERSATION if act == "converse" else NOT_YOURS
        if act == "delete" and item.author_id != access.user.pk:
            return self.acts["delete"].refusal
        if act == "publish":
            return publish_refusal(access, item)
        return ""

    def of_own_organisations(self, items, access):
        """The items written for one of the person's organisations (what comes back to them)."""
        return items.filter(organisation_id__in=access.organisation_ids)

    def acting_organisation(self, access, item):
        """The organisation an author acts for on this item: one of theirs that leads or supports its
        subject (by name), else their first."""
        return self.subject_policy.acting_organisation(access, getattr(item, self.subject_field))


class EscalationPolicy(Policy):
    """The governing group, the Working Group and administrators read escalations (pages, e-mails and
    the report's escalation section); the governing group responds; a partner reads the responses to
    escalations of progress on actions their organisations lead, and the escalations whose requests
    for action are made of their organisations (issue 25)."""

    partnership_path = "cycle__plan__partnership"
    acts = {
        "read": Act(Can.OVERSEE, "Only the governing group, the Working Group and administrators read escalations."),
        "read_response": Act(Can.READ, "You have no role in this partnership."),
        "respond": Act(Can.RESPOND, "Only the governing group responds to an escalation."),
    }

    def narrow(self, escalations, access, act: str):
        if act == "read_response" and not access.can(Can.OVERSEE):
            return escalations.filter(
                Q(update__action__leads__in=access.organisation_ids) | Q(requests__owner__in=access.organisation_ids)
            ).distinct()
        return escalations


NOT_ASKED = "Only the partners of the organisation the governing group asked answer its request."
ONLY_CLOSERS = "Only the Working Group and the governing group close a request of the governing group."
CLOSED = "This request is closed: nothing more can be done to it."


class GoverningRequestPolicy(Policy):
    """The governing group's requests for action (issue 25): whoever reads escalations reads them all, a
    partner those made of their organisations; the partners of the organisation asked answer one (the
    Working Group's members too, for their own organisation); the Working Group (who review) or the
    governing group (who respond) close one. A closed request takes neither."""

    partnership_path = "escalation__cycle__plan__partnership"
    acts = {
        "read": Act(Can.READ, "You have no role in this partnership."),
        "answer": Act(Can.WRITE_PROGRESS, NOT_ASKED),
        "close": Act(Can.OVERSEE, ONLY_CLOSERS),
    }

    def organisations_of(self, access) -> tuple[int, ...]:
        """The organisations `access` acts for (those a request may be made of)."""
        return tuple(access.organisation_ids)

    def _closes(self, access) -> bool:
        return access.can(Can.REVIEW) or access.can(Can.RESPOND)

    def narrow(self, requests, access, act: str):
        if act == "close":
            return requests.exclude(state=RequestState.CLOSED) if self._closes(access) else requests.none()
        if act == "answer":
            return requests.filter(owner__in=access.organisation_ids).exclude(state=RequestState.CLOSED)
        if not access.can(Can.OVERSEE):
            return requests.filter(owner__in=access.organisation_ids)
        return requests

    def object_refusal(self, access, act: str, request) -> str:
        if act == "read" and not access.can(Can.OVERSEE) and request.owner_id not in access.organisation_ids:
            return "This request of the governing group is for another organisation."
        if act == "answer" and request.owner_id not in access.organisation_ids:
            return NOT_ASKED
        if act == "close" and not self._closes(access):
            return ONLY_CLOSERS
        if act in ("answer", "close") and request.state == RequestState.CLOSED:
            return CLOSED
        return ""


def may_read_escalations(access) -> bool:
    """The rule for the report's escalation section and its audience (`reports.audience`)."""
    return ESCALATIONS.permits(access, "read")


ESCALATIONS = EscalationPolicy()
REQUESTS = GoverningRequestPolicy()
