"""Going through the import pages as the Working Group does, with the test client."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.html_forms import PageForm, post_forms

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def upload(client, partnership, data: bytes, filename: str = "Kent CSA 2017-18.docx"):
    url = reverse("plan_import", kwargs={"partnership": partnership.slug})
    return client.post(url, {"file": SimpleUploadedFile(filename, data, content_type=DOCX)})


def preview(client, partnership, data: bytes, filename: str = "Kent CSA 2017-18.docx") -> tuple[str, str, PageForm]:
    """Upload `data` and open its preview: (the preview's address, its page, its form as a browser would post it)."""
    response = upload(client, partnership, data, filename)
    assert response.status_code == 302, response.content.decode()[:3000]
    url = response["Location"]
    page = client.get(url).content.decode()
    return url, page, form_of(page, url)


def form_of(page: str, url: str) -> PageForm:
    (form,) = [form for form in post_forms(page, url) if any(name == "shown" for name, _ in form.values)]
    return form


def post(client, url: str, form: PageForm, action: str = "import", **values):
    """Post the preview's form as shown, with `values` changed, pressing "Import the plan" (or "Update
    the preview" with action="refresh")."""
    return client.post(url, form.data(action=action, **values))


def fields_labelled(page: str, prefix: str) -> dict[str, str]:
    """{field name: its label's words without quotes} for the fields whose names start with `prefix`."""
    found = re.findall(rf'<label\s+for="id_({re.escape(prefix)}[^"]*)"[^>]*>\s*“([^”<]*)”', page)
    return dict(found)


def option(page: str, name: str, label: str) -> str:
    """The value of the option labelled `label` in the select `name`."""
    select = page[page.index(f'name="{name}"') :]
    select = select[: select.index("</select>")]
    found = re.search(r'<option value="([^"]*)"[^>]*>\s*' + re.escape(label) + r"\s*</option>", select)
    assert found, f"no option {label!r} in {name}"
    return found[1]
