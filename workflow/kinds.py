"""Kinds of reviewed item, each declared once by the app that owns it (`actions.kinds`,
`indicators.kinds`): what the review pages, services and engine need to know about it. Views, services
and templates ask the declaration; nothing compares a kind's name.

A new kind is a model deriving from `workflow.models.ReviewedItem`, a policy
(`workflow.policies.ReviewedItemPolicy` over its subject's policy), a form with `item_fields()`, and
one `register(ItemKind(...))` in its app's `kinds.py`, imported by its AppConfig.ready. A new child
record of items (an attachment, a comment) is named in `children`: corrections carry it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models

from .states import OPEN_STATES


@dataclass(frozen=True)
class ItemKind:
    """One kind of reviewed item.

    name: the stem of its addresses' names (f"{name}_edit", f"review_{name}", f"{name}_history"…), the
    review queue's filter value and the field of an `Escalation` that points at it ("update").
    label: how people call one ("progress update"); plural: several ("progress updates").
    model: the ReviewedItem subclass; policy: its `ReviewedItemPolicy`; form_class: its form, whose
    `item_fields()` gives the item's own values; form_kwargs(subject, partnership) the form's extra
    keyword arguments.
    subject_field: the field naming what the item is about ("action"); subject_heading: how its page
    names it ("Progress on"), followed by the subject's `subject_name_field` ("wording").
    same_subject: the fields a later version of the same thing shares ("action"; or indicator, area
    and period end): what "published before" means.
    related: what its pages select with it.
    keeps_returned_text: a return keeps the text as returned, so the reviewer sees what changed since.
    previewable: the form has a Preview of its text.
    in_cycles: items belong to a reporting cycle; unfinished ones left in a closed cycle are carried
    or deleted (`workflow.drafts`).
    children: related names of child records (attachments, comments) that belong to one version and
    are carried by its correction.
    shown_template: the item as its page shows it when it is not being edited; changes_template: what
    changed, on the review page, from the context `review_context(item, published, compare)` gives
    (`compare`: the `?compare=` choice; the context's "warning", if any, is said to the reviewer);
    aside_template: beside the form ("" for none).
    """

    name: str
    label: str
    plural: str
    model: type[models.Model]
    policy: object
    form_class: type
    form_kwargs: Callable
    subject_field: str
    subject_heading: str
    subject_name_field: str
    same_subject: tuple[str, ...]
    shown_template: str
    changes_template: str
    review_context: Callable
    related: tuple[str, ...] = ()
    keeps_returned_text: bool = False
    previewable: bool = False
    in_cycles: bool = False
    children: tuple[str, ...] = field(default=())
    aside_template: str = ""

    def visible(self, access):
        """The items this person may read, with what the pages show about them."""
        return self.model.objects.visible_to(access).select_related("author", "organisation", *self.related)

    def subject(self, item):
        return getattr(item, self.subject_field)

    def subject_name(self, subject) -> str:
        return getattr(subject, self.subject_name_field)

    def form(self, subject, *args, partnership, **kwargs):
        """The item's form for `subject` (an action, an indicator): only `partnership`'s own choices."""
        return self.form_class(*args, **self.form_kwargs(subject, partnership), **kwargs)

    def initial(self, item) -> dict:
        """The form's values for an existing item, with the version it was read at."""
        fields = [name for name in self.form_class.base_fields if name != "version"]
        values = {name: getattr(item, name) for name in fields}
        values["version"] = item.version
        return values

    def published_before(self, item):
        """The published version `item` would replace (the diff's left side): the version a correction
        corrects, else the latest published one of the same subject; None when there is none."""
        if item.corrects_id:
            return item.corrects
        published = self.model.objects.published().exclude(pk=item.pk).order_by("-published_at")
        published = published.filter(**{f"{name}_id": getattr(item, f"{name}_id") for name in self.fk_subject})
        published = published.filter(**{name: getattr(item, name) for name in self.plain_subject})
        return published.select_related(*self.related).first()

    def open_twin(self, item):
        """The draft, submitted or returned item (not a correction) of `item`'s subject other than
        `item` itself: the one the database allows at a time (`models.OPEN_NOT_CORRECTION`); None when there is
        none. Its author and organisation come with it."""
        same = {name: getattr(item, name) for name in self.same_subject}
        found = self.model.objects.filter(state__in=OPEN_STATES, corrects__isnull=True, **same).exclude(pk=item.pk)
        return found.select_related("author", "organisation", *self.related).first()

    @property
    def fk_subject(self) -> tuple[str, ...]:
        return tuple(name for name in self.same_subject if self.model._meta.get_field(name).is_relation)

    @property
    def plain_subject(self) -> tuple[str, ...]:
        return tuple(name for name in self.same_subject if not self.model._meta.get_field(name).is_relation)

    def copy_children(self, source, target) -> int:
        """Copy the child records of `source` (each related name in `children`) onto `target`, a new
        version of it; returns how many were copied. Files are shared by name, never duplicated."""
        copied = 0
        for name in self.children:
            manager = getattr(source, name)
            for child in list(manager.all()):
                child.pk = None
                child._state.adding = True
                setattr(child, manager.field.name, target)
                child.save()
                copied += 1
        return copied


KINDS: dict[str, ItemKind] = {}


def register(kind: ItemKind) -> ItemKind:
    """Declare a kind (once, from its app's `kinds.py`); returns it."""
    KINDS[kind.name] = kind
    return kind


def kind_of(item_or_model) -> ItemKind:
    """The declaration of an item's (or item model's) kind."""
    model = item_or_model if isinstance(item_or_model, type) else type(item_or_model)
    for kind in KINDS.values():
        if kind.model is model:
            return kind
    raise LookupError(f"{model.__name__} is not a declared kind of reviewed item (workflow.kinds.register).")
