"""A page's address with "{}" where one key goes, reversed once for a whole table (issue 26: a table of
hundreds of rows reversing an address per row spent more on URL reversing than on its rows)."""

from django.urls import reverse

# A stand-in for the key while reversing: digits, so every route's converter takes it, and long enough
# never to stand anywhere else in an address.
_KEY = 987654321


def address_for_each(route: str, key: str = "pk", **kwargs) -> str:
    """`reverse(route, kwargs={**kwargs, key: ...})` with "{}" for the `key` argument:
    `address_for_each("action_detail", partnership="kent").format(pk)` is the action's page."""
    return reverse(route, kwargs={**kwargs, key: _KEY}).replace(str(_KEY), "{}")
