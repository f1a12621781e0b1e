"""Writes of the open data settings."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction

from csa_tracker.accounts.models import Partnership

logger = logging.getLogger(__name__)


def partnership_open_data_set(*, access, public: bool) -> bool:
    """Make the partnership's published reports and open data public (or members only again).

    Returns whether anything changed (saving the setting unchanged writes nothing). Raises
    PermissionDenied unless the person is in the partnership's Working Group or is its administrator.
    """
    if not (access.is_working_group or access.is_admin):
        raise PermissionDenied("Only the Working Group or an administrator may change this.")
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().get(pk=access.partnership.pk)
        if partnership.open_data_public == public:
            return False
        partnership.open_data_public = public
        partnership.save(update_fields=["open_data_public"])
    logger.info(
        "open data setting changed",
        extra={"partnership": partnership.slug, "public": public, "user": access.user.pk},
    )
    return True
