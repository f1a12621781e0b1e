from django import template

register = template.Library()


@register.filter
def person(user, nobody: str = "—") -> str:
    """`{{ item.author|person }}`: full name, else username; `nobody` when there is no user."""
    if user is None:
        return nobody
    return user.get_full_name() or user.username
