from django import template

from csa_tracker.accounts.people import display_name

register = template.Library()


@register.filter
def person(user, nobody: str = "—") -> str:
    """`{{ item.author|person }}`, or `{{ event.actor|person:"the daily job" }}`."""
    return display_name(user, nobody)
