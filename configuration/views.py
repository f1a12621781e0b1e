"""The partnership's settings pages, for its Working Group and administrators (issue 14)."""

from __future__ import annotations

import calendar
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.cells import table_response
from csa_tracker.paging import page_shown
from csa_tracker.refusals import Refusal, refuse_on_form
from indicators.models import Geography, Indicator
from priorities.models import Plan
from spreadsheets.pipeline import Upload
from spreadsheets.views import preview_page

from . import services
from . import spreadsheets as config_sheets
from .effects import area_rename_effects, indicator_change_effects, year_change_effects
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
    page, page_notice = page_shown(Paginator(entries, PAGE_SIZE), request.GET.get("page"), where="in this list")
    context = {
        "vocabulary": vocabulary,
        "page": page,
        "page_notice": page_notice,
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
    before = str(entry) if entry else ""  # the form copies what was typed onto the entry
    form = vocabulary.form_class(request.POST or None, instance=entry, partnership=request.access.partnership)
    effects = []
    if request.method == "POST" and form.is_valid():
        if vocabulary.model is Geography and entry is not None:  # published figures name their area
            effects = area_rename_effects(entry, before=before, after=form.cleaned_data["name"])
        if not effects or _confirmed(request):
            try:
                saved = services.entry_save(access=request.access, form=form, noun=vocabulary.noun)
            except Refusal as exc:
                refuse_on_form(form, exc)
            else:
                if saved is None:
                    messages.info(request, "Nothing was changed.")
                else:
                    messages.success(request, f"{vocabulary.noun.capitalize()} “{saved}” saved.")
                return redirect("settings_vocabulary", partnership=request.access.partnership.slug, kind=kind)
    context = {"vocabulary": vocabulary, "form": form, "entry": entry, "entry_name": before, "effects": effects}
    return render(request, "configuration/vocabulary_form.html", context)


def _confirmed(request) -> bool:
    """Whether the person chose the confirming Save of a settings change's confirmation step
    (includes/settings_save_buttons.html)."""
    return request.POST.get("confirm") == "yes"


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
    before = partnership.year_start_month  # the form copies the chosen month onto the partnership
    form = PartnershipYearForm(request.POST or None, instance=partnership)
    effects = []
    if request.method == "POST" and form.is_valid():
        month = form.cleaned_data["year_start_month"]
        # A change that concerns figures is saved only once the person has read what it changes.
        effects = year_change_effects(partnership, before=before, after=month)
        if not effects or _confirmed(request):
            try:
                changed = services.partnership_year_set(access=request.access, month=month, seen=form.seen)
            except Refusal as exc:
                refuse_on_form(form, exc)
            else:
                if changed:
                    messages.success(
                        request,
                        f"The partnership's year now starts in {calendar.month_name[month]}; quarters and figures "
                        "published from now on follow it. Published figures keep their periods.",
                    )
                else:
                    messages.info(request, "Nothing was changed.")
                return redirect("settings_home", partnership=partnership.slug)
    return render(request, "configuration/year_form.html", {"form": form, "effects": effects})


@partnership_view(Can.MANAGE_SETTINGS)
def indicator_list(request):
    indicators = Indicator.objects.visible_to(request.access).select_related("geography").order_by("order", "name")
    current = [indicator for indicator in indicators if not indicator.is_retired]
    retired = [indicator for indicator in indicators if indicator.is_retired]
    return render(request, "configuration/indicator_list.html", {"current": current, "retired": retired})


def _indicator(access, slug: str) -> Indicator:
    return get_object_or_404(Indicator.objects.visible_to(access), slug=slug)


def _indicator_saved(request, form, indicator):
    """Save the indicator form: a redirect once saved (or unchanged), None when refused (the reason on the
    form, which keeps what was typed)."""
    access = request.access
    if indicator is not None and not form.has_changed():
        messages.info(request, "Nothing was changed.")
        return redirect("settings_indicator", partnership=access.partnership.slug, slug=indicator.slug)
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    # The form's instance holds the typed values already; save from a fresh copy instead.
    target = Indicator.objects.get(pk=indicator.pk) if indicator else None
    try:
        saved = services.indicator_save(access=access, indicator=target, fields=fields, seen=form.seen)
    except Refusal as exc:
        refuse_on_form(form, exc)
        return None
    messages.success(request, f"Indicator “{saved.name}” saved.")
    return redirect("settings_indicator", partnership=access.partnership.slug, slug=saved.slug)


@partnership_view(Can.MANAGE_SETTINGS)
def indicator_edit(request, slug: str | None = None):
    access = request.access
    indicator = _indicator(access, slug) if slug else None
    before = (indicator.unit, indicator.rate_per, indicator.period_type) if indicator else None  # as saved
    form = IndicatorForm(request.POST or None, instance=indicator, partnership=access.partnership)
    effects = []
    if request.method == "POST" and form.is_valid():
        after = tuple(form.cleaned_data[name] for name in ("unit", "rate_per", "period_type"))
        effects = indicator_change_effects(indicator, before=before, after=after)
        if not effects or _confirmed(request):
            saved = _indicator_saved(request, form, indicator)
            if saved is not None:
                return saved
    context = {"form": form, "indicator": indicator, "effects": effects}
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
        try:
            target, created = services.target_set(
                access=request.access, indicator=indicator, seen=form.seen_value, **form.cleaned_data
            )
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
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
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            changed = services.plan_settings_update(access=request.access, plan=plan, fields=fields, seen=form.seen)
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            if changed:
                messages.success(request, f"Settings of “{plan.title}” saved; the next report published uses them.")
            else:
                messages.info(request, "Nothing was changed.")
            return redirect("settings_home", partnership=request.access.partnership.slug)
    return render(request, "configuration/plan_settings.html", {"form": form, "plan": plan})


@partnership_view(Can.MANAGE_SETTINGS)
def area_populations(request, pk: int):
    area = get_object_or_404(Geography.objects.in_partnership(request.access.partnership), pk=pk)
    form = PopulationForm(request.POST or None, area=area)
    if request.method == "POST" and form.is_valid():
        year, value = form.cleaned_data["year"], form.cleaned_data["value"]
        try:
            created = services.population_set(
                access=request.access, area=area, year=year, value=value, seen=form.seen_value
            )
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, f"{area.name}'s {year} population {'added' if created else 'changed'}.")
            return redirect("settings_populations", partnership=request.access.partnership.slug, pk=area.pk)
    context = {"area": area, "form": form, "populations": area.populations.order_by("-year")}
    return render(request, "configuration/populations.html", context)


def _start(request, form, importer, *, kind: str, back: str):
    """Read and preview the form's file (the one pipeline); the preview's address, or None with the
    refusal on the file field."""
    meta = {"kind": kind, "filename": form.cleaned_data["file"].name, "back": back}
    try:
        upload = Upload.start(request.access, importer, form.cleaned_data["file"].read(), meta)
    except Refusal as exc:
        form.add_error("file", str(exc))
        return None
    return redirect("settings_import_preview", partnership=request.access.partnership.slug, token=upload.token)


@partnership_view(Can.MANAGE_SETTINGS)
def population_import(request):
    """Upload a population file; the preview and confirm are the configuration spreadsheets' own."""
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        importer = config_sheets.importer_for("populations", request.access.partnership)
        if found := _start(request, form, importer, kind="populations", back="areas"):
            return found
    return render(request, "configuration/population_import.html", {"form": form})


@partnership_view(Can.MANAGE_SETTINGS)
def spreadsheet_index(request):
    """Export each configuration list; upload one back: a preview first, then Confirm writes all or none."""
    kinds = [(kind, title) for kind, (title, _, _) in config_sheets.LISTS.items()]
    form = ConfigurationUploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        importer = config_sheets.importer_for(kind, request.access.partnership)
        if found := _start(request, form, importer, kind=kind, back="spreadsheets"):
            return found
    return render(request, "configuration/spreadsheets.html", {"form": form, "kinds": kinds})


@partnership_view(Can.MANAGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def import_preview(request, token: str):
    """What a configuration file would change; Confirm (POST) writes every row through the settings
    services, or none."""
    partnership = request.access.partnership

    def summary(importer, written: int, unchanged: int) -> str:
        return f"{written:,} row{pluralize(written)} imported."

    def landing(upload, importer) -> str:
        if upload.meta["back"] == "areas":
            return reverse("settings_vocabulary", kwargs={"partnership": partnership.slug, "kind": "areas"})
        return reverse("settings_spreadsheets", kwargs={"partnership": partnership.slug})

    def importer_of(meta):
        return config_sheets.importer_for(meta["kind"], partnership)

    return preview_page(
        request,
        token,
        importer_of,
        template="configuration/import_preview.html",
        summary=summary,
        landing=landing,
    )


@partnership_view(Can.MANAGE_SETTINGS)
def spreadsheet_export(request, kind: str, fmt: str):
    if kind not in config_sheets.LISTS or fmt not in ("csv", "xlsx"):
        raise Http404("No such export.")
    dataset = config_sheets.LISTS[kind][1](request.access.partnership).export()
    name = f"{request.access.partnership.slug}-{kind}"
    return table_response(fmt, name, list(dataset.headers), (list(row) for row in dataset))
