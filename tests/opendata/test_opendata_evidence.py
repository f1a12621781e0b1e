"""Open data says what evidence published progress has (name, type, size), never its content."""

import csv
import io
import json

from jsonschema import Draft202012Validator

from csa_tracker.accounts.access import access_for
from reports.services import report_publish
from tests.evidence.helpers import FILES, attach
from tests.paths import ROOT
from workflow.models import ReviewState


def test_actions_json_and_csv_list_evidence_as_metadata_only(world, client_as):
    world.submitted_updates["own"].delete()  # at most one open update per action
    update = world.published_updates["own"]
    update.state = ReviewState.DRAFT
    update.save()
    attach(world.users["partner"], update, "report.pdf")
    attach(world.users["partner"], update, "figures.csv")
    update.state = ReviewState.PUBLISHED
    update.save()
    draft = world.submitted_updates["other_org"]
    draft.state = ReviewState.DRAFT
    draft.save()
    attach(world.users["working_group"], draft, "photo.png")  # work in progress: never in open data
    report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle)
    client = client_as(world.users["governing"])

    response = client.get("/kent-test/open-data/v1/actions.json")
    data = json.loads(response.content)
    schema = json.loads((ROOT / "opendata/schema/v1/actions.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    own = next(action for action in data["actions"] if action["wording"] == "Own council's action")
    assert own["progress"][0]["evidence"] == [
        {"name": "report.pdf", "type": "PDF", "content_type": "application/pdf", "size": 7319},
        {"name": "figures.csv", "type": "CSV file", "content_type": "text/csv", "size": 45},
    ]
    other = next(action for action in data["actions"] if action["wording"] == "Other council's action")
    assert [update["evidence"] for update in other["progress"]] == [[]]
    body = response.content + client.get("/kent-test/open-data/v1/actions.csv").content
    assert (FILES / "figures.csv").read_bytes().split(b"\n")[1] not in body  # never the content
    assert b"photo.png" not in body

    rows = list(
        csv.DictReader(io.StringIO(client.get("/kent-test/open-data/v1/actions.csv").content.decode("utf-8-sig")))
    )
    assert [row["progress_evidence"] for row in rows if row["wording"] == "Own council's action"] == [
        "report.pdf; figures.csv"
    ]
