"""The partnership's settings pages, for its Working Group and administrators (issue 14)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.models import Role

from .usage import in_use_message, uses_of
from .vocabularies import VOCABULARIES

SETTINGS_ROLES = (Role.WORKING_GROUP, Role.ADMIN)
PAGE_SIZE = 50


def _vocabulary(kind: str):
    try:
        return VOCABULARIES[kind]
    except KeyError:
        raise Http404("No such list.") from None


@partnership_view(*SETTINGS_ROLES)
def settings_home(request):
    return render(request, "configuration/home.html", {"vocabularies": VOCABULARIES.values()})


@partnership_view(*SETTINGS_ROLES)
def vocabulary_list(request, kind: str):
    vocabulary = _vocabulary(kind)
    entries = vocabulary.entries(request.access.partnership)
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        entries = entries.filter(name__icontains=query)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "vocabulary": vocabulary,
        "page": page,
        "q": query,
        "query": f"{urlencode({'q': query})}&" if query else "",
        "rows": _rows(vocabulary, page),
    }
    return render(request, "configuration/vocabulary_list.html", context)


def _rows(vocabulary, entries):
    return [(entry, [_cell(getattr(entry, attribute)) for _, attribute in vocabulary.columns]) for entry in entries]


def _cell(value):
    value = value() if callable(value) else value
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return value


@partnership_view(*SETTINGS_ROLES)
def vocabulary_edit(request, kind: str, pk: int | None = None):
    vocabulary = _vocabulary(kind)
    entry = get_object_or_404(vocabulary.entries(request.access.partnership), pk=pk) if pk else None
    form = vocabulary.form_class(request.POST or None, instance=entry, partnership=request.access.partnership)
    if request.method == "POST" and form.is_valid():
        if entry is not None and not form.has_changed():
            messages.info(request, "Nothing was changed.")
        else:
            saved = form.save()
            messages.success(request, f"{vocabulary.noun.capitalize()} “{saved}” saved.")
        return redirect("settings_vocabulary", partnership=request.access.partnership.slug, kind=kind)
    return render(
        request, "configuration/vocabulary_form.html", {"vocabulary": vocabulary, "form": form, "entry": entry}
    )


@partnership_view(*SETTINGS_ROLES)
def vocabulary_delete(request, kind: str, pk: int):
    """A confirmation page; an entry still in use is never deleted, and the page says where it is used."""
    vocabulary = _vocabulary(kind)
    entry = get_object_or_404(vocabulary.entries(request.access.partnership), pk=pk)
    uses = uses_of(entry)
    if request.method == "POST" and not uses:
        name = str(entry)
        try:
            entry.delete()
        except ProtectedError:  # came into use since the page was shown
            uses = uses_of(entry) or ["another record"]
        else:
            messages.success(request, f"{vocabulary.noun.capitalize()} “{name}” deleted.")
            return redirect("settings_vocabulary", partnership=request.access.partnership.slug, kind=kind)
    refusal = in_use_message(entry, uses) if uses else ""
    if request.method == "POST" and refusal:
        messages.error(request, refusal)
    context = {"vocabulary": vocabulary, "entry": entry, "refusal": refusal}
    return render(request, "configuration/vocabulary_delete.html", context)
