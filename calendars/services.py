from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from csa_tracker.audit.services import audit_record

from .feeds import new_nonce
from .models import CalendarKey


@transaction.atomic
def calendar_link_reset(*, access) -> CalendarKey:
    """Make the person's calendar links anew: the old ones answer 404 from now on. In the audit trail of
    the partnership they did it in."""
    person = get_user_model().objects.get(pk=access.user.pk)  # the account itself, not the request's lazy one
    key, _ = CalendarKey.objects.update_or_create(
        user=person, defaults={"nonce": new_nonce(), "reset_at": timezone.now()}
    )
    audit_record(
        person,
        actor=access.user,
        verb="link_reset",
        summary="Calendar links made anew: the old ones no longer work",
        partnership=access.partnership,
    )
    return key
