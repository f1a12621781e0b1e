"""Progress updates as a kind of reviewed item (`workflow.kinds` explains the declaration)."""

from workflow.kinds import ItemKind, register

from .forms import ProgressUpdateForm
from .models import ProgressUpdate
from .policies import UPDATES
from .review import update_review_context

UPDATE = register(
    ItemKind(
        name="update",
        label="progress update",
        plural="progress updates",
        model=ProgressUpdate,
        policy=UPDATES,
        form_class=ProgressUpdateForm,
        form_kwargs=lambda action, partnership: {"partnership": partnership},
        subject_field="action",
        subject_heading="Progress on",
        subject_name_field="wording",
        shown_template="reviews/kinds/update_shown.html",
        changes_template="reviews/kinds/update_changes.html",
        aside_template="reviews/kinds/update_aside.html",
        review_context=update_review_context,
        same_subject=("action",),
        related=("action__plan_priority__plan", "status", "cycle"),
        keeps_returned_text=True,
        previewable=True,
        in_cycles=True,
        children=("comments", "attachments"),
    )
)
