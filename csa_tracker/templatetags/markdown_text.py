from django import template

from csa_tracker.text import render_markdown

register = template.Library()


@register.filter
def markdown(text: str, note_anchor: str = ""):
    """`{{ update.text|markdown }}`, or `{{ priority.context|markdown:"p-road-safety" }}` to link notes."""
    return render_markdown(text, note_anchor=note_anchor)
