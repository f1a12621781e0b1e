"""What an area's ONS code may be (issue 25, "Also seen": a code was never checked against its area's
name or kind). An ONS (GSS) code is a letter and 8 digits, E07000105; its first three characters say
what kind of area it is (ONS, "Code History Database": E10 a county, E07 a district, E06 a unitary
authority, E08 a metropolitan and E09 a London borough, W06 a Welsh unitary authority, E92 England...).

The area form and the areas import (which checks each row with the same form) ask `code_refusal`; a
code another area of the partnership already has is refused there too, naming that area.
"""

from __future__ import annotations

import re

from .models import Geography

SHAPE = re.compile(r"[A-Z][0-9]{8}")

Kind = Geography.Kind
# The codes each kind of area is given, by their first three characters.
PREFIXES: dict[str, tuple[str, ...]] = {
    # Countries (E92 England, W92 Wales, S92 Scotland, N92 Northern Ireland), the UK (K02), Great Britain
    # (K03), England and Wales (K04), and the English regions (E12) a comparator may be.
    Kind.NATIONAL: ("E92", "W92", "S92", "N92", "K02", "K03", "K04", "E12"),
    Kind.POLICE_FORCE_AREA: ("E23", "W15"),  # police force areas, England and Wales
    Kind.COUNTY: ("E10", "E11"),  # counties, metropolitan counties
    # A joint community safety partnership's area (E22, W22) or a combined authority (E47).
    Kind.COMBINED: ("E22", "W22", "E47"),
    Kind.UNITARY: ("E06", "E08", "E09", "W06"),  # unitaries, metropolitan and London boroughs, Welsh unitaries
    Kind.DISTRICT: ("E07", "E08", "E09"),  # non-metropolitan districts, metropolitan and London boroughs
}


# How a message names one area of each kind, and several.
NAMED = {
    Kind.NATIONAL: ("a country or region", "countries and regions"),
    Kind.POLICE_FORCE_AREA: ("a police force area", "police force areas"),
    Kind.COUNTY: ("a county", "counties"),
    Kind.COMBINED: ("a combined area (two or more districts)", "combined areas"),
    Kind.UNITARY: ("a unitary authority", "unitary authorities"),
    Kind.DISTRICT: ("a district", "districts"),
}


def _listed(prefixes: tuple[str, ...]) -> str:
    return ", ".join(prefixes[:-1]) + " or " + prefixes[-1] if len(prefixes) > 1 else prefixes[0]


def code_refusal(code: str, kind: str | None, *, label: str = "ONS code") -> str | None:
    """Why `code` (upper case, outer spaces removed; "" for none) cannot be the ONS code of an area of
    `kind` (a `Geography.Kind` value, or None when the kind is not known yet), as a sentence naming
    `label`; None when it can. An empty code is always allowed (a police force area may have none)."""
    if not code:
        return None
    if not SHAPE.fullmatch(code):
        return f"The {label} is a letter and 8 digits, such as E07000105; “{code}” is not."
    allowed = PREFIXES.get(kind) if kind else None
    if allowed and code[:3] not in allowed:
        one, several = NAMED[kind]
        return (
            f"The {label} {code} begins {code[:3]}, which is not the code of {one}: the codes of {several} "
            f"begin {_listed(allowed)}. Check the {label} or the kind."
        )
    return None
