"""The one transition engine: every model with states (progress updates, readings, reporting cycles)
declares its transitions as a table of `Rule`s, and `StateMachine.apply` is the only code that changes
a state.

`apply` locks the row, checks the version the person was looking at (so two reviewers deciding at
once cannot both succeed, and a stale form cannot overwrite a newer decision), checks the state and
asks the model's policy whether the person may take the rule's act, moves the state (saving through
the model, so every kind of field is stored) and writes the audit entry, in one transaction. `create`
does the same for objects that come into being in a state (a draft, an imported or corrected item).
Transition names are audit verbs (`csa_tracker.audit.verbs`). Refusals are `csa_tracker.refusals`
exceptions with a sentence for the person.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from csa_tracker.accounts.people import display_name
from csa_tracker.refusals import NeedsReason, NotAllowed, Stale

from .models import AuditEntry
from .services import audit_record, audit_record_many
from .verbs import registered

NEW = ""  # the state of an object that does not exist yet


@dataclass(frozen=True)
class Rule:
    """One transition: from which states, to which (`target` "" leaves the state as it is), the act
    the model's policy must permit (`act`), and the sentences the trail and a refusal use."""

    sources: frozenset[str]
    target: str
    act: str
    done: str  # for the audit trail: "Submitted"
    verb: str  # for refusals, completing "cannot be …": "submitted"
    needs_reason: bool = False
    reason_prompt: str = "Give a reason: it is recorded in the audit trail."
    # Timestamp fields set to now when the transition is taken, e.g. ("submitted_at",).
    stamps: tuple[str, ...] = ()


@dataclass(frozen=True)
class StateMachine:
    """A model's transitions. The model has `state` and `version` fields and a `partnership` property;
    `policy` (a `csa_tracker.accounts.policies.Policy`) answers who may take each rule's act."""

    model: type
    rules: dict[str, Rule]
    policy: object
    # Fields that follow from others: `derive(obj, changes)` returns {field: value} to save with the
    # transition (e.g. a review item's stored `flagged`); on creation `changes` is {}.
    derive: Callable | None = None
    # Relations read with the row under its lock (not locked themselves), for the policy and the audit entry's
    # partnership: e.g. a cycle's ("plan__partnership",), two queries fewer per transition (issue 26).
    related: tuple[str, ...] = ()

    def __post_init__(self):
        for name in self.rules:
            registered(name)  # every transition is an audit verb

    def allowed(self, access, obj) -> list[str]:
        """The transitions this person may take on `obj` now."""
        return [
            name
            for name, rule in self.rules.items()
            if obj.state in rule.sources and self.policy.permits(access, rule.act, obj)
        ]

    def _check(self, rule: Rule, obj, *, access, reason: str) -> None:
        if obj.state not in rule.sources:
            raise NotAllowed(f"This is {obj.get_state_display().lower()}, so it cannot be {rule.verb}.")
        if access is not None:
            self.policy.check(access, rule.act, obj)
        if rule.needs_reason and not reason.strip():
            raise NeedsReason(rule.reason_prompt)

    def apply(
        self,
        obj,
        *,
        access,
        transition: str,
        expected_version: int | None,
        reason: str = "",
        changes=None,
        audit_changes=None,
    ):
        """Take `transition` on `obj`, saving `changes` ({field: value}) with it; returns the object as saved.

        `access` None is the scheduled job (no role check); `expected_version` None skips the version
        check (only the scheduled job does that). `audit_changes` ({label: [before, after]}) go into the
        entry. Raises Stale, NotAllowed or NeedsReason; nothing is saved then.
        """
        rule = self.rules[transition]
        with transaction.atomic():
            locked = self.model.objects.select_for_update(**({"of": ("self",)} if self.related else {}))
            current = locked.select_related(*self.related).get(pk=obj.pk)
            if expected_version is not None and current.version != expected_version:
                raise Stale(self.stale_message(current), current)
            self._check(rule, current, access=access, reason=reason)
            from_state = current.state
            now = timezone.now()
            values = dict(changes or {})
            values.update(state=rule.target or from_state, version=current.version + 1)
            values.update({stamp: now for stamp in rule.stamps})
            if self.derive is not None:
                values.update(self.derive(current, values))
            # The version is claimed by a conditional update (belt and braces with the row lock, for
            # databases without SELECT ... FOR UPDATE); the rest is saved through the model, so file
            # fields store their files and every field's own saving rules apply.
            claimed = self.model.objects.filter(pk=current.pk, version=current.version)
            if not claimed.update(version=values.pop("version")):
                raise Stale(self.stale_message(current), self.model.objects.get(pk=current.pk))
            current.version += 1
            for name, value in values.items():
                setattr(current, name, value)
            saved = [*values, *self._auto_now_fields()]
            current.save(update_fields=saved)
            # What was saved is read back as stored; the rest is as read under the lock, so the related
            # objects read then are kept for the audit entry rather than read again (issue 26).
            current.refresh_from_db(fields=[*saved, "version"])
            audit_record(
                current,
                actor=getattr(access, "user", None),
                verb=transition,
                summary=rule.done,
                reason=reason.strip(),
                from_state=from_state,
                to_state=current.state,
                changes=audit_changes,
                at=now,
            )
        return current

    def create(self, objs: Sequence, *, access, transition: str, reason: str = "") -> list:
        """Save new, unsaved `objs` through a transition from NEW (all or none), with one audit entry each."""
        rule = self.rules[transition]
        if NEW not in rule.sources:
            raise ValueError(f"{transition} does not create objects")
        now = timezone.now()
        checked = set()  # objects about the same subject share one permission check (an import's rows)
        for obj in objs:
            obj.state = NEW
            key = getattr(obj, "subject_key", id(obj))
            if key not in checked:
                self._check(rule, obj, access=access, reason=reason)
                checked.add(key)
            obj.state = rule.target
            for stamp in rule.stamps:
                setattr(obj, stamp, now)
            if self.derive is not None:
                for name, value in self.derive(obj, {}).items():
                    setattr(obj, name, value)
        with transaction.atomic():
            if len(objs) == 1:
                objs[0].save()
            else:
                self.model.objects.bulk_create(objs, batch_size=1000)
            audit_record_many(
                objs,
                actor=access.user,
                verb=transition,
                summary=rule.done,
                reason=reason.strip(),
                to_state=rule.target,
                at=now,
            )
        return list(objs)

    def _auto_now_fields(self) -> list[str]:
        return [f.name for f in self.model._meta.concrete_fields if getattr(f, "auto_now", False)]

    @staticmethod
    def stale_message(current) -> str:
        last = AuditEntry.objects.for_object(current).select_related("actor").last()
        who = display_name(last.actor if last else None, nobody="someone else")
        return (
            f"This item changed while you were looking at it: {who} moved it to "
            f"“{current.get_state_display()}”. Nothing was saved; the current version is shown."
        )
