"""Writes of the open data settings."""

import logging

from django.db import transaction

from csa_tracker.accounts.models import Partnership
from csa_tracker.accounts.policies import PARTNERSHIPS
from csa_tracker.audit.services import audit_record, changes_between, field_values
from csa_tracker.audit.stale import refuse_if_moved
from csa_tracker.forms import digest

logger = logging.getLogger(__name__)


def open_data_shown(partnership) -> str:
    """The `digest` of the setting as the settings page shows it (a stale save is refused, issue 23)."""
    return digest(partnership.open_data_public)


def partnership_open_data_set(*, access, public: bool, seen: str | None = None) -> bool:
    """Make the partnership's published reports and open data public (or members only again).

    Returns whether anything changed (saving the setting unchanged writes nothing). Raises
    NotAllowed unless the person is in the partnership's Working Group or is its administrator;
    Stale when the setting changed since the page showing `seen` (`open_data_shown`) was opened.
    """
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().get(pk=access.partnership.pk)
        PARTNERSHIPS.check(access, "change_settings", partnership)
        refuse_if_moved(partnership, seen, open_data_shown(partnership), noun="the open data setting")
        if partnership.open_data_public == public:
            return False
        before = field_values(partnership, ["open_data_public"])
        partnership.open_data_public = public
        partnership.save(update_fields=["open_data_public"])
        audit_record(
            partnership,
            actor=access.user,
            verb="edit",
            summary="Published material made public" if public else "Published material for members only",
            changes=changes_between(before, field_values(partnership, ["open_data_public"])),
            partnership=partnership,
        )
    logger.info(
        "open data setting changed",
        extra={"partnership": partnership.slug, "public": public, "user": access.user.pk},
    )
    return True
