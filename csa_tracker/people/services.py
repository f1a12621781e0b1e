"""Changes to who takes part in a partnership: invitations, roles, deactivation.

Every service is keyword-only and atomic, checks the rules itself (the pages check them too, to show
them on the field) and records what it did in the audit trail through `_audit`. Rule violations raise
`django.core.exceptions.ValidationError` with a message per form field (`email`, `roles`,
`organisation`, or `None` for the whole request).
"""

import hashlib
import logging
import secrets
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import BaseUserManager
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from csa_tracker.accounts.access import Access
from csa_tracker.accounts.models import Invitation, Membership, Role
from csa_tracker.accounts.people import display_name
from csa_tracker.accounts.scoping import organisations_of
from csa_tracker.audit.services import audit_record
from csa_tracker.mail import send_templated

logger = logging.getLogger(__name__)

# Who may manage people: the Working Group and administrators (issue 14).
PEOPLE_ROLES = (Role.WORKING_GROUP, Role.ADMIN)


class InvitationExpired(Exception):
    """The invitation's link is past its `expires`; a new invitation is needed."""


class InvitationUsed(Exception):
    """The invitation was accepted already; its link cannot be used again."""


def _audit(*, actor, verb: str, subject, partnership, detail: str) -> None:
    """Record one change to people in the audit trail: `verb` is one of "invited", "accepted",
    "withdrawn", "roles changed", "deactivated"; `detail` says who and which roles, as a sentence."""
    audit_record(
        subject,
        actor=actor,
        verb=verb.replace(" ", "_"),
        summary=f"{verb.capitalize()}: {detail}"[:200],
        partnership=partnership,
    )


def normalise_email(email: str) -> str:
    return BaseUserManager.normalize_email(email.strip())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_invitation(token: str) -> Invitation | None:
    """The invitation whose link carries `token`, or None for a token nobody was sent."""
    return Invitation.objects.select_related("partnership", "organisation").filter(token_hash=token_hash(token)).first()


def invitation_problem(invitation: Invitation | None, now) -> str | None:
    """Why an invitation's link cannot be used: "unknown", "used", "withdrawn", "expired"; None when it can."""
    if invitation is None:
        return "unknown"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.withdrawn_at is not None:
        return "withdrawn"
    if invitation.expires <= now:
        return "expired"
    return None


def account_for(email: str):
    """The account with this e-mail address (case ignored), or None; an active one is preferred."""
    users = get_user_model().objects.filter(email__iexact=normalise_email(email)).order_by("-is_active", "pk")
    return users.first()


def is_member(email: str, partnership) -> bool:
    return Membership.objects.filter(
        partnership=partnership, user__email__iexact=normalise_email(email), user__is_active=True
    ).exists()


def _check_roles(*, access: Access, roles, current=frozenset()) -> None:
    """Only administrators give or take away the administrator role (issue 14)."""
    if not roles:
        raise ValidationError({"roles": "Choose at least one role."})
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": "Choose from the roles listed."})
    if (Role.ADMIN in set(roles)) != (Role.ADMIN in set(current)) and not access.is_admin:
        raise ValidationError({"roles": "Only an administrator can give or remove the administrator role."})


def _check_organisation(*, access: Access, organisation) -> None:
    if not organisations_of(access.partnership).filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": f"Choose one of {access.partnership.short_name}'s organisations."})


def _check_may_manage(access: Access) -> None:
    if not access.has_any(PEOPLE_ROLES):
        raise ValidationError({None: "Only the Working Group and administrators manage people."})


@transaction.atomic
def invitation_send(*, access: Access, email: str, name: str, organisation, roles, now=None) -> Invitation:
    """Create an invitation and e-mail its link (valid for `settings.CSA_INVITATION_DAYS` days).

    Raises ValidationError: the address is already a member here (`email`), a role the inviter may
    not give (`roles`), an organisation not of this partnership (`organisation`). An earlier pending
    invitation to the same address in this partnership stops working (its link says it has expired).
    If the e-mail cannot be sent, nothing is saved.
    """
    now = now or timezone.now()
    _check_may_manage(access)
    email = normalise_email(email)
    partnership = access.partnership
    if is_member(email, partnership):
        raise ValidationError(
            {"email": f"{email} is already a member of {partnership.short_name}: change their roles on their page."}
        )
    _check_roles(access=access, roles=roles)
    _check_organisation(access=access, organisation=organisation)
    Invitation.objects.pending(now).filter(partnership=partnership, email__iexact=email).update(expires=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        partnership=partnership,
        email=email,
        name=name.strip(),
        organisation=organisation,
        roles=[role for role in Role.values if role in set(roles)],
        invited_by=access.user,
        created=now,
        expires=now + timedelta(days=settings.CSA_INVITATION_DAYS),
        token_hash=token_hash(token),
    )
    context = {
        "invitation": invitation,
        "inviter": display_name(access.user),
        "url": settings.SITE_URL + reverse("invitation_accept", kwargs={"token": token}),
    }
    try:
        send_templated("people/email/invitation.txt", context, [email])
    except (smtplib.SMTPException, OSError) as exc:
        # Raising inside the transaction undoes the invitation: no row without its e-mail.
        logger.warning("invitation e-mail not sent: %s", exc.__class__.__name__)
        raise ValidationError(
            {None: "The invitation e-mail could not be sent, so nothing was saved. Try again in a few minutes."}
        ) from exc
    _audit(
        actor=access.user,
        verb="invited",
        subject=invitation,
        partnership=partnership,
        detail=f"{email} as {', '.join(invitation.role_labels)} for {organisation}.",
    )
    return invitation


@transaction.atomic
def invitation_withdraw(*, access: Access, invitation: Invitation, now=None) -> None:
    """Stop a pending invitation of this partnership from working (its link then says it was withdrawn).

    Raises InvitationUsed when it was accepted meanwhile; withdrawing twice changes nothing.
    """
    now = now or timezone.now()
    _check_may_manage(access)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk, partnership=access.partnership)
    if invitation.accepted_at is not None:
        raise InvitationUsed
    if invitation.withdrawn_at is not None:
        return
    invitation.withdrawn_at = now
    invitation.save(update_fields=["withdrawn_at"])
    _audit(
        actor=access.user, verb="withdrawn", subject=invitation, partnership=access.partnership, detail=invitation.email
    )


def _unique_username(email: str) -> str:
    users = get_user_model().objects
    username, number = email[:150], 1
    while users.filter(username__iexact=username).exists():
        number += 1
        username = f"{email[:140]}-{number}"
    return username


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user=None, password: str | None = None, now=None):
    """Accept `invitation`: give its roles, and return the account that holds them.

    `user`: the signed-in account accepting it (its e-mail must be the invitation's). Without one,
    the account with the invitation's address is reactivated with `password`, or a new one created
    (username: the e-mail address; name: the invitation's). Raises InvitationUsed, InvitationExpired,
    or ValidationError when `user` is someone else or a new account has no password.
    """
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().select_related("partnership").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationUsed
    if invitation.withdrawn_at is not None or invitation.expires <= now:
        raise InvitationExpired
    if user is not None:
        if normalise_email(user.email).lower() != invitation.email.lower():
            raise ValidationError({None: f"This invitation is for {invitation.email}, not for {user.email}."})
    else:
        if not password:
            raise ValidationError({"new_password1": "Choose a password."})
        user = account_for(invitation.email)
        if user is None:
            user = get_user_model()(
                username=_unique_username(invitation.email), email=invitation.email, first_name=invitation.name[:150]
            )
        user.is_active = True
        user.set_password(password)
        user.save()
    for role in invitation.roles:
        Membership.objects.get_or_create(
            user=user, partnership=invitation.partnership, organisation=invitation.organisation, role=role
        )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _audit(
        actor=user,
        verb="accepted",
        subject=invitation,
        partnership=invitation.partnership,
        detail=f"{invitation.email} now has {', '.join(invitation.role_labels)} for {invitation.organisation}.",
    )
    return user


def current_roles(user, partnership) -> tuple[frozenset, list]:
    """(role values, organisations) the person holds in `partnership`."""
    here = list(Membership.objects.in_partnership(partnership).filter(user=user).select_related("organisation"))
    organisations = sorted({m.organisation for m in here}, key=lambda org: org.name)
    return frozenset(m.role for m in here), organisations


@transaction.atomic
def membership_change(*, access: Access, user, organisation, roles) -> bool:
    """Give `user` exactly `roles` in the partnership, for `organisation`; True when anything changed.

    Memberships not in the new set are removed, missing ones created; the same roles and
    organisation change nothing (and record nothing). Raises ValidationError as `invitation_send`
    does for roles and organisation, and when people would remove their own administrator role.
    """
    _check_may_manage(access)
    partnership = access.partnership
    held, _ = current_roles(user, partnership)
    _check_roles(access=access, roles=roles, current=held)
    _check_organisation(access=access, organisation=organisation)
    if user.pk == access.user.pk and Role.ADMIN in held and Role.ADMIN not in set(roles):
        raise ValidationError({"roles": "You cannot remove your own administrator role; ask another administrator."})
    existing = Membership.objects.in_partnership(partnership).filter(user=user)
    wanted = {(organisation.pk, role) for role in roles}
    have = set(existing.values_list("organisation_id", "role"))
    if wanted == have:
        return False
    for organisation_id, role in have - wanted:
        existing.filter(organisation_id=organisation_id, role=role).delete()
    for organisation_id, role in wanted - have:
        Membership.objects.create(user=user, partnership=partnership, organisation_id=organisation_id, role=role)
    labels = [Role(role).label for role in Role.values if role in set(roles)]
    _audit(
        actor=access.user,
        verb="roles changed",
        subject=user,
        partnership=partnership,
        detail=f"{display_name(user)} now has {', '.join(labels)} for {organisation}.",
    )
    return True


@transaction.atomic
def membership_deactivate(*, access: Access, user) -> bool:
    """Remove every membership `user` has in the partnership; True when their account was deactivated
    too (because they have no role in any other partnership).

    Raises ValidationError when people try to remove themselves, or a non-administrator an administrator.
    """
    _check_may_manage(access)
    partnership = access.partnership
    if user.pk == access.user.pk:
        raise ValidationError({None: "You cannot remove yourself; ask another administrator."})
    held, _ = current_roles(user, partnership)
    if Role.ADMIN in held and not access.is_admin:
        raise ValidationError({None: "Only an administrator can remove an administrator."})
    Membership.objects.in_partnership(partnership).filter(user=user).delete()
    deactivated = not Membership.objects.filter(user=user).exists()
    if deactivated:
        user.is_active = False
        user.save(update_fields=["is_active"])
    _audit(
        actor=access.user,
        verb="deactivated",
        subject=user,
        partnership=partnership,
        detail=f"{display_name(user)} removed" + (" and their account deactivated." if deactivated else "."),
    )
    return deactivated
