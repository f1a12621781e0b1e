from django import forms

from csa_tracker.forms import DateInput, ProjectModelForm, ReasonForm

from .models import Note, Plan, PlanPriority
from .services import plan_edit_problems, plan_problems, priority_problems, slug_from


class PlanPriorityForm(ProjectModelForm):
    class Meta:
        model = PlanPriority
        fields = ["title", "context"]
        widgets = {"context": forms.Textarea(attrs={"rows": 14})}
        help_texts = {"context": "Paragraphs separated by a blank line; refer to a note as [^1]."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["context"].max_length = 50_000


class NoteForm(ProjectModelForm):
    url = forms.URLField(required=False, assume_scheme="https", label="Link to the source")

    class Meta:
        model = Note
        fields = ["number", "text", "source_title", "publisher", "published", "url"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


NoteFormSet = forms.inlineformset_factory(PlanPriority, Note, form=NoteForm, extra=1, can_delete=True)


class PlanChangeReasonForm(ReasonForm):
    """Changes to a plan's wording, priorities and actions are kept in its history with a reason."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *args,
            recorded_in="the plan's history",
            required_message="Give the reason for the change: changes to a plan are kept in its history with one.",
            **kwargs,
        )
        self.fields["reason"].label = "Reason for the change"


def check_new_plan(form, data: dict, partnership) -> None:
    """A new plan's title, slug (made from the title when empty, in `data`) and dates on `form`'s fields
    of those names: `plan_problems` for each, unless the field already has an error."""
    if form.has_error("title") or form.has_error("slug"):
        return
    data["slug"] = data.get("slug") or slug_from(data.get("title", ""))
    problems = plan_problems(
        partnership=partnership,
        slug=data["slug"],
        starts=data.get("starts"),
        ends=data.get("ends"),
        title=data.get("title", ""),
    )
    for name, problem in problems.items():
        if not form.has_error(name):
            form.add_error(name, problem)


SLUG_HELP = "Lower-case letters, numbers and hyphens, used in the address; left empty, it is made from the title."


class PlanForm(ProjectModelForm):
    """A new plan: its title, the address's short name (made from the title when empty), when it runs."""

    class Meta:
        model = Plan
        fields = ["title", "slug", "starts", "ends", "introduction"]
        labels = {"slug": "Short name", "starts": "First day of the plan", "ends": "Last day of the plan"}
        help_texts = {
            "slug": f"{SLUG_HELP} For example 2026-27.",
            "starts": "The first day of the plan's year.",
            "ends": "The last day of the plan's year.",
        }
        widgets = {
            "starts": DateInput(),
            "ends": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["slug"].required = False

    def clean(self):
        data = super().clean()
        check_new_plan(self, data, self.partnership)
        return data

    def _post_clean(self):
        """The partnership is not a field: `plan_problems` and the service check the plan as a whole."""

    def add_validation_error(self, exc):
        """Put a service's ValidationError on the fields it names."""
        for name, errors in exc.message_dict.items():
            self.add_error(name if name in self.fields else None, errors)


class PlanEditForm(ProjectModelForm):
    """A plan's title, first and last day and introduction, changed after it was added; its short name
    (the address) stays."""

    class Meta:
        model = Plan
        fields = ["title", "starts", "ends", "introduction"]
        labels = {name: PlanForm.Meta.labels[name] for name in ("starts", "ends")}
        help_texts = {name: PlanForm.Meta.help_texts[name] for name in ("starts", "ends")}
        widgets = PlanForm.Meta.widgets

    def clean(self):
        data = super().clean()
        if self.instance.pk is None:
            return data
        problems = plan_edit_problems(
            plan=self.instance, title=data.get("title", ""), starts=data.get("starts"), ends=data.get("ends")
        )
        for name, problem in problems.items():
            if not self.has_error(name):
                self.add_error(name, problem)
        return data


class NewPriorityForm(ProjectModelForm):
    """A priority added to a plan: its title, short name and context narrative."""

    slug = forms.SlugField(
        required=False,
        max_length=50,
        label="Short name",
        help_text=f"{SLUG_HELP} The same short name in next year's plan is the same priority.",
    )

    class Meta:
        model = PlanPriority
        fields = ["title", "slug", "context"]
        widgets = {"context": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"context": "Why it matters: paragraphs separated by a blank line. You can add it later."}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["context"].max_length = 50_000

    def clean(self):
        data = super().clean()
        if self.has_error("title") or self.has_error("slug"):
            return data
        data["slug"] = data.get("slug") or slug_from(data.get("title", ""))
        for name, problem in priority_problems(plan=self.plan, slug=data["slug"], title=data.get("title", "")).items():
            self.add_error(name, problem)
        return data

    def _post_clean(self):
        """The plan and priority are not fields: `priority_problems` and the service check them."""

    add_validation_error = PlanForm.add_validation_error
