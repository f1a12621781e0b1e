import calendar
from datetime import date, timedelta

from django.db import migrations, models

# As indicators.periods._STALE_AFTER_MONTHS was when this migration was written (migrations never import
# code that may change): months after a period's last month by which the next figure is due.
STALE_AFTER_MONTHS = {
    "calendar_year": 18,
    "financial_year": 18,
    "jul_jun": 18,
    "oct_sep": 18,
    "partnership_year": 18,
    "quarter": 6,
    "month": 2,
    "rolling_12_months": 18,
    "year_to_date": 3,
    "three_years_pooled": 18,
}


def stale_from(period_type: str, end: date) -> date:
    index = end.year * 12 + end.month - 1 + STALE_AFTER_MONTHS[period_type]
    year, month = divmod(index, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1]) + timedelta(days=1)


def fill(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Reading = apps.get_model("indicators", "IndicatorReading")
    for indicator in Indicator.objects.all():
        latest = (
            Reading.objects.filter(indicator=indicator, geography_id=indicator.geography_id, state="published")
            .order_by("-period_end")
            .values_list("period_end", flat=True)
            .first()
        )
        if latest is not None:
            Indicator.objects.filter(pk=indicator.pk).update(stale_from=stale_from(indicator.period_type, latest))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0009_corrections_wait_apart"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="stale_from",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
