"""Indicator readings as a kind of reviewed item (`workflow.kinds` explains the declaration)."""

from workflow.kinds import ItemKind, register

from .forms import ReadingForm
from .models import IndicatorReading
from .policies import READINGS
from .review import reading_review_context

READING = register(
    ItemKind(
        name="reading",
        label="indicator reading",
        plural="indicator readings",
        model=IndicatorReading,
        policy=READINGS,
        form_class=ReadingForm,
        form_kwargs=lambda indicator, partnership: {"indicator": indicator},
        subject_field="indicator",
        subject_heading="Figure for",
        subject_name_field="name",
        shown_template="reviews/kinds/reading_shown.html",
        changes_template="reviews/kinds/reading_changes.html",
        review_context=reading_review_context,
        same_subject=("indicator", "geography", "period_end"),
        related=("indicator__partnership", "geography"),
        children=("comments", "attachments"),
    )
)
