from django import template

register = template.Library()


@register.filter
def kind_label(kinds: dict, key: str) -> str:
    """`{{ kinds|kind_label:notification.kind }}`: how the settings page names the kind."""
    found = kinds.get(key)
    return found.label if found else key
