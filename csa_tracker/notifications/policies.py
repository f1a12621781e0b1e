"""Who reads which notifications: each person their own, in the partnership they are in
(`csa_tracker.accounts.policies` explains the shape)."""

from __future__ import annotations

from csa_tracker.accounts.policies import READ_ANY, Policy


class NotificationPolicy(Policy):
    acts = {"read": READ_ANY}

    def narrow(self, notifications, access, act: str):
        return notifications.filter(user=access.user)


NOTIFICATIONS = NotificationPolicy()
