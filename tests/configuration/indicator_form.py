"""The indicator form (Settings → Indicators) as the Working Group fills it in, for the tests that post it."""


def indicator_data(world, **fields) -> dict:
    """What the form posts for "Burglaries": a quarterly count in the world's priority, over the area of
    the world's indicator, led by the own council, compared with the same period last year (a 2% stable
    band, 10% change threshold, 0% target tolerance) and suppressed below 5. `fields` replace or add form
    fields by name (e.g. `unit="rate_per_1000", rate_per="100000"`)."""
    data = {
        "name": "Burglaries",
        "priority": world.plan_priority.priority.pk,
        "unit": "count",
        "rate_per": "",
        "polarity": "lower_is_better",
        "period_type": "quarter",
        "geography": world.indicator.geography_id,
        "source": "Police recorded crime",
        "leads": [world.own_org.pk],
        "compare_with": "same_period_last_year",
        "stable_band_pct": "2",
        "change_threshold_pct": "10",
        "target_tolerance_pct": "0",
        "suppress_below": "5",
        "order": "3",
    }
    return {**data, **fields}
