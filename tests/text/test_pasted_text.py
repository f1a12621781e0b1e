"""Text pasted from a PDF is stored as the letters it shows (issue 23, kind 8): the ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
become their letters and soft hyphens (and zero-width characters) go, at the one root every form
(`csa_tracker.forms.ProjectFormMixin`) and every import reader (`spreadsheets.cells.shown_text`,
`plandocs.reading`) goes through: `csa_tracker.text.normalise_text`. Case B19: a partner pastes a PDF
extract into an update and saves; Search finds "financial", "flyers", "effectiveness" and "households"."""

import pytest
from django.urls import reverse

from actions.models import ProgressUpdate
from csa_tracker.accounts.models import Organisation
from csa_tracker.text import normalise_text
from plandocs.reading import read_document
from plandocs.recognise import Choices, recognise
from tests.factories import ActionFactory, PublishedUpdateFactory
from tests.form_pages import EDIT_PAGES, OTHER_FORM_PAGES, cases, form_objects, page_url
from tests.html_forms import post_forms
from tests.plandocs.documents import simple_docx
from tests.spreadsheet_files import UPDATE_HEADER, csv_bytes, preview, settings_preview, xlsx_bytes
from tests.text.test_progress_text import case_text, submit_progress
from workflow.models import ReviewState

PASTED = "The \ufb01nancial review; \ufb02yers to 1,200 house\u00adholds; the e\ufb00ectiveness of the ser\u200bvice."
AS_READ = "The financial review; flyers to 1,200 households; the effectiveness of the service."
PAGES = {**EDIT_PAGES, **OTHER_FORM_PAGES}


def test_ligatures_become_letters_and_soft_hyphens_go_but_other_compatibility_characters_stay():
    assert normalise_text(PASTED) == AS_READ
    assert normalise_text("\ufb03 \ufb04 \ufb05 \ufb06") == "ffi ffl st st"
    # Not NFKC: squares, fractions, trade marks and full-width letters are what the writer meant.
    assert normalise_text("12 m² ½ TM™ ①") == "12 m² ½ TM™ ①"
    assert normalise_text(normalise_text(PASTED)) == normalise_text(PASTED)


@pytest.mark.parametrize("role", ["partner", "working_group"])
def test_a_pdf_extract_pasted_into_an_update_is_found_by_search_b19(world, client, role):
    action = ActionFactory(plan_priority=world.plan_priority, wording="One Stop Shops", leads=[world.own_org])
    pasted = case_text("B19-pdf-paste-ligatures-soft-hyphens.txt")
    assert "\ufb01nancial" in pasted and "house\u00adholds" in pasted  # the file is as the PDF pasted it
    submit_progress(client, world, action, pasted)
    update = ProgressUpdate.objects.get(action=action)
    assert update.text == (
        "Extract from the DHR overview report (copied from the PDF):\n"
        "The financial review of the One Stop Shops was commissioned in January; flyers were distributed to "
        "1,200 households and the effectiveness of the service will be reported in Q1."
    )
    client.force_login(world.users[role])
    for word in ["financial", "flyers", "effectiveness", "households", "commissioned"]:
        page = client.get(reverse("search", kwargs={"partnership": world.partnership.slug}), {"q": word})
        assert page.context["results"].updates.items[0][0] == update, word


@pytest.mark.parametrize(("name", "label", "role"), cases(PAGES))
def test_every_text_field_of_every_form_normalises_what_was_pasted(world, client, name, label, role):
    """Each text field gets pasted text one character over its limit once normalised; the page keeps
    what was typed as the form normalised it (the letters, not the ligatures), so the same rule ran."""
    objects = form_objects(world)
    client.force_login(world.users[role])
    url = page_url(PAGES, name, label, world, objects)
    for form in post_forms(client.get(url).content.decode(), url):
        for field in form.text_fields():
            if field.name == "token":
                continue  # a one-time code is never shown again
            limit = field.max_chars or field.maxlength
            typed = ("e\ufb00ective \ufb02y\u00aders " * (limit // 15 + 2))[: limit + 1]
            page = client.post(url, form.data(**{field.name: typed})).content.decode()
            assert normalise_text(typed) in page, f"{name}: {field.name}"
            assert "\ufb00" not in page and "\u00ad" not in page, f"{name}: {field.name}"


def test_progress_imported_from_a_spreadsheet_is_normalised(world, client):
    action = ActionFactory(plan_priority=world.plan_priority, wording="Speed watch", leads=[world.own_org])
    PublishedUpdateFactory(action=action, cycle=world.cycle, text="Started.")
    client.force_login(world.users["partner"])
    for data, name in [
        (csv_bytes([UPDATE_HEADER, [action.pk, "", PASTED]]), "progress.csv"),
        (xlsx_bytes([UPDATE_HEADER, [action.pk, "", PASTED]]), "progress.xlsx"),
    ]:
        page, url = preview(client, world.partnership, data, kind="updates", name=name)
        assert page.context["preview"].rows[0].changes == [("Progress", "Started.", AS_READ)], name
    client.post(url)
    assert action.updates.get(state=ReviewState.SUBMITTED).text == AS_READ


def test_a_configuration_list_imported_is_normalised(world, client):
    client.force_login(world.users["working_group"])
    rows = [["Name", "Short name", "Kind"], ["Kent \ufb01re and Rescue Ser\u00advice", "KFRS", "fire"]]
    page, confirm = settings_preview(client, world.partnership, csv_bytes(rows), kind="organisations")
    client.post(confirm)
    fire = Organisation.objects.get(partnership=world.partnership, short_name="KFRS")
    assert fire.name == "Kent fire and Rescue Service"


def test_a_plan_read_from_a_word_document_is_normalised():
    def build(document):
        document.add_paragraph("Coastshire Plan", style="Title")
        document.add_paragraph("Road Safety", style="Heading 1")
        document.add_paragraph("Casualties rose; house\u00adholds were sent \ufb02yers.")
        table = document.add_table(rows=2, cols=3)
        for cell, header in zip(table.rows[0].cells, ["Action", "Agency", "Progress"], strict=True):
            cell.text = header
        table.cell(1, 0).text = "Review the \ufb01nancial case"
        table.cell(1, 1).text = "Coastshire Council"
        table.cell(1, 2).text = "The e\ufb00ectiveness review is booked."

    draft = recognise(read_document(simple_docx(build)), Choices())
    [priority] = draft.priorities
    assert priority.context == "Casualties rose; households were sent flyers."
    assert [(a.wording, a.progress) for a in priority.actions] == [
        ("Review the financial case", "The effectiveness review is booked.")
    ]
