"""Text exactly at a field's limit is never a 500 (issue 24): a funding source or organisation named
with 177 to 200 characters was one, because the audit summary quoting the name ("Added funding source:
…") outgrew its 200-character column. The limit each field gives the browser's counter must fit the
column it is stored in and everything that quotes it (the audit trail's summary and "about").

Every text field of every form of `tests/form_pages.py`, as each role that may use it, and the name of
a new entry in each of the partnership's lists, are sent at their limit: the answer is the page again
(200, with a message if something else is wrong) or the redirect of a saved form (302), and what was
saved is whole, with its audit entry shortened with an ellipsis rather than refused."""

import pytest
from django.urls import reverse

from configuration.vocabularies import VOCABULARIES
from csa_tracker.audit.models import AuditEntry
from tests.form_pages import EDIT_PAGES, OTHER_FORM_PAGES, cases, form_objects, page_url
from tests.html_forms import post_forms

PAGES = {**EDIT_PAGES, **OTHER_FORM_PAGES}
SUMMARY_LENGTH = AuditEntry._meta.get_field("summary").max_length


def at_limit(kind: str, limit: int, seed: str) -> str:
    """Text of exactly `limit` characters that the field's kind accepts where it can."""
    if kind == "input:email":
        return seed[:1] + "@" + ("e" * 60 + ".") * ((limit - 6) // 61) + "org"
    if kind == "input:url":
        start = "https://example.org/"
        return start + ("p" * limit)[: limit - len(start)]
    text = (f"{seed} " * (limit // (len(seed) + 1) + 1))[:limit]
    return text[:-1] + "x"  # never ends in a space, which the form would strip


@pytest.mark.parametrize(("name", "label", "role"), cases(PAGES))
def test_text_at_the_limit_in_every_field_is_never_a_server_error(world, client, name, label, role):
    objects = form_objects(world)
    client.force_login(world.users[role])
    url = page_url(PAGES, name, label, world, objects)
    for form in post_forms(client.get(url).content.decode(), url):
        for field in form.text_fields():
            limit = field.max_chars or field.maxlength
            typed = at_limit(field.kind, limit, field.name.replace("-", ""))
            response = client.post(url, form.data(**{field.name: typed}))  # a 500 raises here
            # Kept on the form with a message or saved: either way never a server error.
            assert response.status_code < 500, f"{name}: {field.name} gave {response.status_code}"
            client.force_login(world.users[role])  # a form that signs out (none today) would not stop the walk


@pytest.mark.parametrize("kind", sorted(VOCABULARIES))
def test_a_new_list_entry_named_at_the_limit_is_saved_whole_and_its_audit_summary_fits(world, client, kind):
    client.force_login(world.users["working_group"])
    url = reverse("settings_vocabulary_new", kwargs={"partnership": world.partnership.slug, "kind": kind})
    [form] = post_forms(client.get(url).content.decode(), url)
    limit = next(field.max_chars for field in form.fields if field.name == "name")
    name = ("Community safety partner " * 20)[: limit - 3] + "end"
    extra = {
        "areas": {"code": "E07999999", "kind": "district"},
        "organisations": {"kind": "district_council", "short_name": "s" * 30},
    }.get(kind, {})
    response = client.post(url, form.data(name=name, **extra))
    assert response.status_code == 302, response.content.decode()
    model = VOCABULARIES[kind].model
    saved = model.objects.get(partnership=world.partnership, name=name)
    assert len(saved.name) == limit
    entry = AuditEntry.objects.filter(object_id=saved.pk, verb="create").get()
    full = f"{VOCABULARIES[kind].noun.capitalize()} “{name}” added"
    shown = full if len(full) <= SUMMARY_LENGTH else full[: SUMMARY_LENGTH - 1].rstrip() + "…"
    assert entry.summary == shown
