"""Who may change who takes part in a partnership (`csa_tracker.accounts.policies` explains the shape).

Source of the rules: issue 14 (the Working Group and administrators manage people; only administrators
give or take the administrator role) and issue 22 (an invitation is checked again when it is
accepted, against its sender's roles then; accounts with site-wide rights are an administrator's to
remove or invite, and those rights are never given back by the app).
"""

from __future__ import annotations

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Role
from csa_tracker.accounts.people import display_name
from csa_tracker.accounts.policies import Act, Can, Policy, has_site_rights, members_who_can

ONLY_ADMIN_ROLE = "Only an administrator can give or remove the administrator role."


class MembershipPolicy(Policy):
    """The people pages: invite, change roles, remove, withdraw an invitation."""

    acts = {
        "manage": Act(Can.MANAGE_PEOPLE, "Only the Working Group and administrators manage people."),
        "grant_admin": Act(Can.GRANT_ADMIN, ONLY_ADMIN_ROLE),
    }

    def grantable_roles(self, access) -> list[str]:
        """The roles (Role values, in their order) this person may give."""
        return [role for role in Role.values if role != Role.ADMIN or access.can(Can.GRANT_ADMIN)]

    def roles_refusal(self, access, *, roles, held=frozenset(), user=None) -> str:
        """Why `access` may not give someone holding `held` exactly `roles` ("" when they may): the
        administrator role is given or taken only by administrators, and never from oneself."""
        adding_or_removing_admin = (Role.ADMIN in set(roles)) != (Role.ADMIN in set(held))
        if adding_or_removing_admin and not access.can(Can.GRANT_ADMIN):
            return ONLY_ADMIN_ROLE
        if user is not None and user.pk == access.user.pk and Role.ADMIN in held and Role.ADMIN not in set(roles):
            return "You cannot remove your own administrator role; ask another administrator."
        return ""

    def removal_refusal(self, access, *, user, held) -> str:
        """Why `access` may not remove `user`, who holds `held` here ("" when they may)."""
        if user.pk == access.user.pk:
            return "You cannot remove yourself; ask another administrator."
        if Role.ADMIN in held and not access.can(Can.GRANT_ADMIN):
            return "Only an administrator can remove an administrator."
        if has_site_rights(user) and not access.can(Can.GRANT_ADMIN):
            return "This account has site-wide rights (the Django admin): only an administrator can remove it."
        return ""

    def invitee_refusal(self, access, *, account) -> str:
        """Why `access` may not invite the holder of `account` (None: a new address) ("" when they may)."""
        if account is not None and has_site_rights(account) and not access.can(Can.GRANT_ADMIN):
            return "This address belongs to an account with site-wide rights: only an administrator can invite it."
        return ""

    def sender_refusal(self, invitation) -> str:
        """Why `invitation` can no longer be accepted because of its sender ("" when it can): whoever
        sent it must still be active and able to give its roles in its partnership now."""
        sender = invitation.invited_by
        access = access_for(sender, invitation.partnership) if sender is not None and sender.is_active else None
        if (
            access is not None
            and self.permits(access, "manage")
            and not self.roles_refusal(access, roles=invitation.roles)
        ):
            return ""
        managers = members_who_can(invitation.partnership, Can.MANAGE_PEOPLE).order_by("first_name", "last_name")
        names = [display_name(user) for user in managers[:3]]
        if names:
            who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
            ask = f"Ask {who} to invite you again."
        else:
            ask = f"Ask {invitation.partnership.name}'s Working Group to invite you again."
        return (
            f"This invitation came from {display_name(sender, nobody='someone')}, who can no longer give these roles "
            f"in {invitation.partnership.short_name}. {ask}"
        )


MEMBERSHIPS = MembershipPolicy()
