"""The partnership's settings pages, for its Working Group and administrators (issue 14)."""

from __future__ import annotations

import calendar
from itertools import zip_longest
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.cells import table_response
from csa_tracker.refusals import Refusal
from indicators.models import Geography, Indicator
from priorities.models import Plan
from spreadsheets.parsing import UploadError

from . import populations, services
from . import spreadsheets as config_sheets
from .forms import (
    ComparabilityNoteForm,
    ConfigurationUploadForm,
    IndicatorForm,
    PartnershipYearForm,
    PlanSettingsForm,
    PopulationForm,
    PopulationUploadForm,
    TargetForm,
)
from .resources import RESOURCES
from .usage import in_use_message, uses_of
from .vocabularies import VOCABULARIES

PAGE_SIZE = 50


def _vocabulary(kind: str):
    try:
        return VOCABULARIES[kind]
    except KeyError:
        raise Http404("No such list.") from None


@partnership_view(Can.MANAGE_SETTINGS)
def settings_home(request):
    context = {
        "vocabularies": VOCABULARIES.values(),
        "year_starts": calendar.month_name[request.access.partnership.year_start_month],
        "plans": Plan.objects.for_partnership(request.access.partnership),
    }
    return render(request, "configuration/home.html", context)


@partnership_view(Can.MANAGE_SETTINGS)
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
    """(entry, [(column heading, cell text), ...]) per entry: the heading labels the cell on phones."""
    return [
        (entry, [(heading, _cell(getattr(entry, attribute))) for heading, attribute in vocabulary.columns])
        for entry in entries
    ]


def _cell(value):
    value = value() if callable(value) else value
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return value


@partnership_view(Can.MANAGE_SETTINGS)
def vocabulary_edit(request, kind: str, pk: int | None = None):
    vocabulary = _vocabulary(kind)
    entry = get_object_or_404(vocabulary.entries(request.access.partnership), pk=pk) if pk else None
    form = vocabulary.form_class(request.POST or None, instance=entry, partnership=request.access.partnership)
    if request.method == "POST" and form.is_valid():
        saved = services.entry_save(access=request.access, form=form, noun=vocabulary.noun)
        if saved is None:
            messages.info(request, "Nothing was changed.")
        else:
            messages.success(request, f"{vocabulary.noun.capitalize()} “{saved}” saved.")
        return redirect("settings_vocabulary", partnership=request.access.partnership.slug, kind=kind)
    return render(
        request, "configuration/vocabulary_form.html", {"vocabulary": vocabulary, "form": form, "entry": entry}
    )


@partnership_view(Can.MANAGE_SETTINGS)
def vocabulary_delete(request, kind: str, pk: int):
    """A confirmation page; an entry still in use is never deleted, and the page says where it is used."""
    vocabulary = _vocabulary(kind)
    entry = get_object_or_404(vocabulary.entries(request.access.partnership), pk=pk)
    uses = uses_of(entry)
    if request.method == "POST" and not uses:
        name = str(entry)
        try:
            services.entry_delete(access=request.access, entry=entry, noun=vocabulary.noun)
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


@partnership_view(Can.MANAGE_SETTINGS)
def partnership_year(request):
    partnership = request.access.partnership
    form = PartnershipYearForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        if services.partnership_year_set(access=request.access, month=form.cleaned_data["year_start_month"]):
            month = calendar.month_name[form.cleaned_data["year_start_month"]]
            messages.success(request, f"The partnership's year now starts in {month}; quarters follow it.")
        else:
            messages.info(request, "Nothing was changed.")
        return redirect("settings_home", partnership=partnership.slug)
    return render(request, "configuration/year_form.html", {"form": form})


@partnership_view(Can.MANAGE_SETTINGS)
def indicator_list(request):
    indicators = Indicator.objects.visible_to(request.access).select_related("geography").order_by("order", "name")
    current = [indicator for indicator in indicators if not indicator.is_retired]
    retired = [indicator for indicator in indicators if indicator.is_retired]
    return render(request, "configuration/indicator_list.html", {"current": current, "retired": retired})


def _indicator(access, slug: str) -> Indicator:
    return get_object_or_404(Indicator.objects.visible_to(access), slug=slug)


@partnership_view(Can.MANAGE_SETTINGS)
def indicator_edit(request, slug: str | None = None):
    access = request.access
    indicator = _indicator(access, slug) if slug else None
    form = IndicatorForm(request.POST or None, instance=indicator, partnership=access.partnership)
    if request.method == "POST" and form.is_valid():
        if indicator is not None and not form.has_changed():
            messages.info(request, "Nothing was changed.")
        else:
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            # The form's instance holds the typed values already; save from a fresh copy instead.
            target = Indicator.objects.get(pk=indicator.pk) if indicator else None
            indicator = services.indicator_save(access=access, indicator=target, fields=fields)
            messages.success(request, f"Indicator “{indicator.name}” saved.")
        return redirect("settings_indicator", partnership=access.partnership.slug, slug=indicator.slug)
    context = {"form": form, "indicator": indicator}
    if indicator is not None:
        context |= {
            "target_form": TargetForm(indicator=indicator, prefix="target"),
            "note_form": ComparabilityNoteForm(prefix="note"),
            "targets": indicator.targets.all(),
            "notes": indicator.comparability_notes.all(),
        }
    return render(request, "configuration/indicator_form.html", context)


@partnership_view(Can.MANAGE_SETTINGS)
def indicator_add_target(request, slug: str):
    indicator = _indicator(request.access, slug)
    form = TargetForm(request.POST or None, indicator=indicator, prefix="target")
    if request.method == "POST" and form.is_valid():
        target, created = services.target_set(access=request.access, indicator=indicator, **form.cleaned_data)
        label = indicator.period_ending(target.period_end).label
        messages.success(request, f"Target for {label} {'added' if created else 'changed'}.")
        return redirect("settings_indicator", partnership=request.access.partnership.slug, slug=indicator.slug)
    context = {"indicator": indicator, "form": form, "title": "Add a target", "kind": "target"}
    return render(request, "configuration/indicator_part_form.html", context)


@partnership_view(Can.MANAGE_SETTINGS)
def indicator_add_note(request, slug: str):
    indicator = _indicator(request.access, slug)
    form = ComparabilityNoteForm(request.POST or None, prefix="note")
    if request.method == "POST" and form.is_valid():
        services.comparability_note_add(access=request.access, indicator=indicator, form=form)
        messages.success(request, "Comparability note added.")
        return redirect("settings_indicator", partnership=request.access.partnership.slug, slug=indicator.slug)
    context = {"indicator": indicator, "form": form, "title": "Add a comparability note", "kind": "note"}
    return render(request, "configuration/indicator_part_form.html", context)


@partnership_view(Can.MANAGE_SETTINGS)
def indicator_retire(request, slug: str):
    """A confirmation page; POST retires the indicator today, or brings a retired one back."""
    indicator = _indicator(request.access, slug)
    if request.method == "POST":
        on = None if indicator.is_retired else timezone.localdate()
        services.indicator_retire(access=request.access, indicator=indicator, on=on)
        verb = "retired: it has left the dashboards and entry forms" if on else "brought back"
        messages.success(request, f"Indicator “{indicator.name}” {verb}.")
        return redirect("settings_indicators", partnership=request.access.partnership.slug)
    return render(request, "configuration/indicator_retire.html", {"indicator": indicator})


@partnership_view(Can.MANAGE_SETTINGS)
def plan_settings(request, plan: str):
    plan = get_object_or_404(Plan.objects.for_partnership(request.access.partnership), slug=plan)
    form = PlanSettingsForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        if services.plan_settings_update(access=request.access, plan=plan, fields=form.cleaned_data):
            messages.success(request, f"Settings of “{plan.title}” saved; the next report published uses them.")
        else:
            messages.info(request, "Nothing was changed.")
        return redirect("settings_home", partnership=request.access.partnership.slug)
    return render(request, "configuration/plan_settings.html", {"form": form, "plan": plan})


@partnership_view(Can.MANAGE_SETTINGS)
def area_populations(request, pk: int):
    area = get_object_or_404(Geography.objects.in_partnership(request.access.partnership), pk=pk)
    form = PopulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year, value = form.cleaned_data["year"], form.cleaned_data["value"]
        created = services.population_set(access=request.access, area=area, year=year, value=value)
        messages.success(request, f"{area.name}'s {year} population {'added' if created else 'changed'}.")
        return redirect("settings_populations", partnership=request.access.partnership.slug, pk=area.pk)
    context = {"area": area, "form": form, "populations": area.populations.order_by("-year")}
    return render(request, "configuration/populations.html", context)


POPULATION_SESSION_KEY = "settings_population_import"


@partnership_view(Can.MANAGE_SETTINGS)
def population_import(request):
    """Upload → preview (every row new, changed, unchanged or in error) → confirm writes all rows or none."""
    partnership = request.access.partnership
    session_key = f"{POPULATION_SESSION_KEY}:{partnership.pk}"
    if request.method == "POST" and "confirm" in request.POST:
        rows = request.session.pop(session_key, None)
        if rows is None:
            messages.error(request, "That preview has expired; upload the file again.")
            return redirect("settings_population_import", partnership=partnership.slug)
        try:
            written = populations.populations_import(access=request.access, partnership=partnership, rows=rows)
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect("settings_population_import", partnership=partnership.slug)
        messages.success(request, f"{written:,} population figure{'s' if written != 1 else ''} imported.")
        return redirect("settings_vocabulary", partnership=partnership.slug, kind="areas")
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = populations.population_preview(partnership, form.cleaned_data["file"].read())
        except UploadError as exc:
            form.add_error("file", str(exc))
        else:
            if preview.has_errors:
                request.session.pop(session_key, None)
            else:
                request.session[session_key] = preview.as_session()
    return render(request, "configuration/population_import.html", {"form": form, "preview": preview})


CONFIG_SESSION_KEY = "settings_spreadsheet"


@partnership_view(Can.MANAGE_SETTINGS)
def spreadsheet_index(request):
    """Export each configuration list; upload one back: a preview first, then Confirm writes all or none."""
    partnership = request.access.partnership
    session_key = f"{CONFIG_SESSION_KEY}:{partnership.pk}"
    kinds = [(kind, title) for kind, (title, _) in RESOURCES.items()]
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.pop(session_key, None)
        if stored is None:
            messages.error(request, "That preview has expired; upload the file again.")
            return redirect("settings_spreadsheets", partnership=partnership.slug)
        try:
            written = config_sheets.commit(access=request.access, kind=stored["kind"], stored=stored)
        except (UploadError, Refusal) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{written:,} row{'s' if written != 1 else ''} imported.")
        return redirect("settings_spreadsheets", partnership=partnership.slug)
    form = ConfigurationUploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    rows, headers = None, []
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            stored = config_sheets.read_upload(form.cleaned_data["file"].read())
            rows = config_sheets.preview(kind, request.access, stored)
        except UploadError as exc:
            form.add_error("file", str(exc))
        else:
            headers = stored["headers"]
            for row in rows:  # each value beside its column's heading, for the phone layout's labels
                row["cells"] = list(zip_longest(headers, row["values"], fillvalue=""))
            if any(row["errors"] for row in rows):
                request.session.pop(session_key, None)
            else:
                request.session[session_key] = {"kind": kind, **stored}
    context = {"form": form, "kinds": kinds, "rows": rows, "headers": headers}
    context["has_errors"] = bool(rows) and any(row["errors"] for row in rows)
    context["to_write"] = sum(1 for row in rows or [] if row["outcome"].startswith(("New", "Changed")))
    return render(request, "configuration/spreadsheets.html", context)


@partnership_view(Can.MANAGE_SETTINGS)
def spreadsheet_export(request, kind: str, fmt: str):
    if kind not in RESOURCES or fmt not in ("csv", "xlsx"):
        raise Http404("No such export.")
    dataset = RESOURCES[kind][1](request.access.partnership).export()
    name = f"{request.access.partnership.slug}-{kind}"
    return table_response(fmt, name, list(dataset.headers), (list(row) for row in dataset))
