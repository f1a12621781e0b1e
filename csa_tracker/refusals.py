"""The one exception family for refusals: a change that cannot be made, with a sentence for the person
who tried. Views catch `Refusal` and show its message; nothing else needs catching."""


class Refusal(Exception):
    """A change that cannot be made; `str(exc)` is written for the person who tried."""


class NotAllowed(Refusal):
    """The person's role, or the object's state, does not permit the change."""


class NeedsReason(Refusal):
    """The change is only made with a reason, which is recorded in the audit trail."""


class Stale(Refusal):
    """The object changed after the person read it; `current` is the object as it is now."""

    def __init__(self, message: str, current=None):
        super().__init__(message)
        self.current = current
