"""Changes to who takes part in a partnership: invitations, roles, deactivation.

Every service is keyword-only and atomic, asks the membership policy (`policies.MEMBERSHIPS`: the
pages ask it too, to show the rules on the field) and records what it did in the audit trail through
`_audit`. Refusals raise `csa_tracker.refusals.Invalid` with a sentence per form field (`email`, `roles`,
`organisation`, or `None` for the whole request). An invitation is checked again when it is accepted.
"""

import hashlib
import logging
import secrets
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from csa_tracker.accounts.access import Access
from csa_tracker.accounts.identities import accounts_with_address, normalise_email
from csa_tracker.accounts.models import Invitation, Membership, Role
from csa_tracker.accounts.people import display_name
from csa_tracker.accounts.scoping import organisations_of
from csa_tracker.audit.services import audit_record
from csa_tracker.audit.stale import refuse_if_moved
from csa_tracker.forms import digest
from csa_tracker.notifications.services import notify_address
from csa_tracker.refusals import Invalid, Refusal

from .policies import MEMBERSHIPS

logger = logging.getLogger(__name__)


class InvitationExpired(Refusal):
    """The invitation's link is past its `expires`; a new invitation is needed."""


class InvitationUsed(Refusal):
    """The invitation was accepted already; its link cannot be used again."""


class InvitationSenderCannot(Refusal):
    """Whoever sent the invitation can no longer give its roles; the message says whom to ask."""


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


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_invitation(token: str) -> Invitation | None:
    """The invitation whose link carries `token`, or None for a token nobody was sent."""
    return Invitation.objects.select_related("partnership", "organisation").filter(token_hash=token_hash(token)).first()


def invitation_problem(invitation: Invitation | None, now) -> str | None:
    """Why an invitation's link cannot be used: "unknown", "used", "withdrawn", "expired", "sender"
    (its sender can no longer give its roles: `MEMBERSHIPS.sender_refusal` says whom to ask), or
    "shared" (two active accounts have its address in different letter case: an administrator merges
    them first); None when it can."""
    if invitation is None:
        return "unknown"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.withdrawn_at is not None:
        return "withdrawn"
    if invitation.expires <= now:
        return "expired"
    if MEMBERSHIPS.sender_refusal(invitation):
        return "sender"
    if accounts_with_address(invitation.email).count() > 1:
        return "shared"
    return None


def account_for(email: str):
    """The account with this e-mail address (case ignored), or None; an active one is preferred.

    Raises Invalid on `email` when two active accounts have the address in different letter case
    (README "People"): neither is chosen; an administrator merges them first."""
    users = get_user_model().objects.filter(email__iexact=normalise_email(email)).order_by("-is_active", "pk")
    found = list(users[:2])
    if len(found) == 2 and found[1].is_active:
        raise Invalid(
            {
                "email": f"Two accounts have the address {normalise_email(email)}, written with different capital "
                "letters. Ask the site administrator to merge them (the People page marks both); until then "
                "this address cannot be invited or given roles."
            }
        )
    return found[0] if found else None


def is_member(email: str, partnership) -> bool:
    return Membership.objects.filter(
        partnership=partnership, user__email__iexact=normalise_email(email), user__is_active=True
    ).exists()


def _check_roles(*, access: Access, roles, current=frozenset(), user=None) -> None:
    """Known roles, at least one, and only those this person may give (`MEMBERSHIPS.roles_refusal`)."""
    if not roles:
        raise Invalid({"roles": "Choose at least one of the roles."})
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise Invalid({"roles": "Choose from the roles listed."})
    refusal = MEMBERSHIPS.roles_refusal(access, roles=roles, held=current, user=user)
    if refusal:
        raise Invalid({"roles": refusal})


def _check_organisation(*, access: Access, organisation) -> None:
    if not organisations_of(access.partnership).filter(pk=organisation.pk).exists():
        raise Invalid({"organisation": f"Choose one of {access.partnership.short_name}'s organisations."})


def _check_may_manage(access: Access) -> None:
    refusal = MEMBERSHIPS.why_not(access, "manage")
    if refusal:
        raise Invalid({None: refusal})


@transaction.atomic
def invitation_send(*, access: Access, email: str, name: str, organisation, roles, now=None) -> Invitation:
    """Create an invitation and e-mail its link (valid for `settings.CSA_INVITATION_DAYS` days).

    Raises Invalid: the address is already a member here (`email`), a role the inviter may not give
    (`roles`), an organisation not of this partnership (`organisation`), an account with site-wide
    rights invited by someone who is not an administrator (`email`). An earlier pending
    invitation to the same address in this partnership stops working (its link says it has expired).
    If the e-mail cannot be sent, nothing is saved.
    """
    now = now or timezone.now()
    _check_may_manage(access)
    email = normalise_email(email)
    partnership = access.partnership
    if is_member(email, partnership):
        raise Invalid(
            {"email": f"{email} is already a member of {partnership.short_name}: change their roles on their page."}
        )
    refusal = MEMBERSHIPS.invitee_refusal(access, account=account_for(email))
    if refusal:
        raise Invalid({"email": refusal})
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
        notify_address(kind_key="invitation", email=email, template="people/email/invitation.txt", context=context)
    except (smtplib.SMTPException, OSError) as exc:
        # Raising inside the transaction undoes the invitation: no row without its e-mail.
        logger.warning("invitation e-mail not sent: %s", exc.__class__.__name__)
        raise Invalid(
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
    the account with the invitation's address is reactivated with `password` (without any site-wide
    rights it once had: the app never gives those), or a new one created (username: the e-mail address;
    name: the invitation's). The invitation is checked again now: its sender must still be able to give
    its roles. Raises InvitationUsed, InvitationExpired, InvitationSenderCannot (saying whom to ask), or
    Invalid when `user` is someone else or a new account has no password.
    """
    now = now or timezone.now()
    # The invitation's row only: PostgreSQL cannot lock the nullable side of the join to `invited_by`.
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("partnership", "invited_by")
        .get(pk=invitation.pk)
    )
    if invitation.accepted_at is not None:
        raise InvitationUsed("This invitation has already been used.")
    if invitation.withdrawn_at is not None or invitation.expires <= now:
        raise InvitationExpired("This invitation has expired or was withdrawn.")
    refusal = MEMBERSHIPS.sender_refusal(invitation)
    if refusal:
        raise InvitationSenderCannot(refusal)
    if user is not None:
        if normalise_email(user.email).lower() != invitation.email.lower():
            raise Invalid({None: f"This invitation is for {invitation.email}, not for {user.email}."})
    else:
        if not password:
            raise Invalid({"new_password1": "Choose a password."})
        _lock_address(invitation.email)
        user = account_for(invitation.email) or _new_account(invitation)
        if not user.is_active:
            user.is_staff = user.is_superuser = False  # removed accounts come back with no site-wide rights
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


def _lock_address(email: str) -> None:
    """Hold, until this transaction ends, the right to make an account for `email` (any case).

    Two partnerships' invitations to one new address accepted at once would otherwise both find no
    account and both make one. On PostgreSQL a transaction-level advisory lock on the lower-cased address
    makes the second wait, then find the first's account; SQLite runs one writing transaction at a time
    already (settings: `transaction_mode` IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"account:{email.lower()}"])


def _new_account(invitation: Invitation):
    """A new account for the invitation's address, or the one made meanwhile for it (a unique username
    or address taken by a writer that `_lock_address` does not hold back, such as the Django admin),
    the insert being in a savepoint so this transaction goes on."""
    account = get_user_model()(
        username=_unique_username(invitation.email), email=invitation.email, first_name=invitation.name[:150]
    )
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        found = account_for(invitation.email)
        if found is None:
            raise
        return found
    return account


def current_roles(user, partnership) -> tuple[frozenset, list]:
    """(role values, organisations) the person holds in `partnership`."""
    here = list(Membership.objects.in_partnership(partnership).filter(user=user).select_related("organisation"))
    organisations = sorted({m.organisation for m in here}, key=lambda org: org.name)
    return frozenset(m.role for m in here), organisations


def roles_shown(user, partnership) -> str:
    """The `digest` of the person's memberships (organisation, role) in `partnership`, as their page shows them."""
    here = Membership.objects.in_partnership(partnership).filter(user=user)
    return digest(sorted(here.values_list("organisation_id", "role")))


@transaction.atomic
def membership_change(*, access: Access, user, organisation, roles, seen: str | None = None) -> bool:
    """Give `user` exactly `roles` in the partnership, for `organisation`; True when anything changed.

    Memberships not in the new set are removed, missing ones created; the same roles and
    organisation change nothing (and record nothing). Raises Invalid as `invitation_send` does for
    roles and organisation, and when people would remove their own administrator role; Stale when
    their roles changed since the page showing `seen` (`roles_shown`) was opened.
    """
    _check_may_manage(access)
    partnership = access.partnership
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    refuse_if_moved(user, seen, roles_shown(user, partnership), noun=f"{display_name(user)}'s roles")
    held, _ = current_roles(user, partnership)
    _check_roles(access=access, roles=roles, current=held, user=user)
    _check_organisation(access=access, organisation=organisation)
    existing = Membership.objects.in_partnership(partnership).filter(user=user)
    wanted = {(organisation.pk, role) for role in roles}
    have = set(existing.values_list("organisation_id", "role"))
    if wanted == have:
        return False
    existing.filter(pk__in=[m.pk for m in existing if (m.organisation_id, m.role) not in wanted]).delete()
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
    too (because they have no role in any other partnership), losing any site-wide rights with it.

    Raises Invalid when people try to remove themselves, or a non-administrator an administrator or an
    account with site-wide rights.
    """
    _check_may_manage(access)
    partnership = access.partnership
    held, _ = current_roles(user, partnership)
    refusal = MEMBERSHIPS.removal_refusal(access, user=user, held=held)
    if refusal:
        raise Invalid({None: refusal})
    Membership.objects.in_partnership(partnership).filter(user=user).delete()
    deactivated = not Membership.objects.filter(user=user).exists()
    if deactivated:
        user.is_active = user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_active", "is_staff", "is_superuser"])
    _audit(
        actor=access.user,
        verb="deactivated",
        subject=user,
        partnership=partnership,
        detail=f"{display_name(user)} removed" + (" and their account deactivated." if deactivated else "."),
    )
    return deactivated
