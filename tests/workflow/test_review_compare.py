"""The review view compares a resubmission with the version the Working Group returned (or with the
published one), by paragraph and sentence, with the words changed inside a rewritten sentence, and
shows the reviewer's earlier comment beside it."""

from django.urls import reverse

from csa_tracker.diff import block_diff
from tests.factories import StatusFactory


def test_a_rewritten_paragraph_reads_as_whole_sentences_not_scattered_words():
    old = "We met the schools in March. Numbers were low.\n\nSecond paragraph stays."
    new = "Funding was cut, so the programme moved online entirely. Numbers were low.\n\nSecond paragraph stays."
    blocks = block_diff(old, new)
    assert [block.op for block in blocks] == ["changed", "same"]
    first = blocks[0].sentences
    assert [(s.op, s.text) for s in first] == [
        ("delete", "We met the schools in March."),
        ("insert", "Funding was cut, so the programme moved online entirely."),
        ("same", "Numbers were low."),
    ]


def test_a_sentence_with_a_few_words_changed_shows_those_words_inside_it():
    blocks = block_diff("We trained 40 officers in March.", "We trained 55 officers in April.")
    (sentence,) = blocks[0].sentences
    assert sentence.op == "changed"
    assert [(w.op, w.text) for w in sentence.words] == [
        ("same", "We trained"),
        ("delete", "40"),
        ("insert", "55"),
        ("same", "officers in"),
        ("delete", "March."),
        ("insert", "April."),
    ]


def test_after_a_return_the_reviewer_sees_what_changed_since_their_comment(world, client_as):
    update = world.submitted_updates["own"]
    reviewer, partner = client_as(world.users["working_group"]), None
    review = reverse("review_update", kwargs={"partnership": "kent-test", "pk": update.pk})
    reviewer.post(review, {"decision": "return", "comment": "Say how many officers.", "version": update.version})
    update.refresh_from_db()
    assert update.returned_text == "Submitted progress (own)."
    partner = client_as(world.users["partner"])
    edit = reverse("update_edit", kwargs={"partnership": "kent-test", "pk": update.pk})
    text = "Submitted progress (own). We trained 40 officers."
    partner.post(
        edit,
        {
            "text": text,
            "status": StatusFactory(partnership=world.partnership).pk,
            "flag": "",
            "version": update.version,
            "submit": "1",
        },
    )
    reviewer = client_as(world.users["working_group"])
    page = reviewer.get(review).content.decode()
    assert "What changed against the version you returned" in page
    assert "Say how many officers." in page  # the earlier comment, beside the comparison
    changed = page[page.index('class="diff block-diff"') :]
    assert "Submitted progress (own). " in changed and "[+</span>We trained 40 officers." in changed
    page = reviewer.get(review, {"compare": "published"}).content.decode()
    assert "What changed against the published version" in page
    assert "[−</span>Own published progress." in page
    page = reviewer.get(review, {"compare": "bogus"}).content.decode()
    assert "is not a version to compare with" in page
