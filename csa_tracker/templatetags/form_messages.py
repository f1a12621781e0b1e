from django import template

from csa_tracker.messages import summary_line as _summary_line

register = template.Library()


@register.filter
def summary_line(message, label):
    """`{{ error|summary_line:field.label }}`: "Label: message", without repeating a label the message starts
    with (`csa_tracker.messages.summary_line`)."""
    return _summary_line(label, message)
