"""Readings published before figures stored what they were published with (issue 23) take the settings
they read with today: the partnership's year, the indicator's period type and unit, the area's name."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def stamp(apps, schema_editor):
    Reading = apps.get_model("indicators", "IndicatorReading")
    Indicator = apps.get_model("indicators", "Indicator")
    Geography = apps.get_model("indicators", "Geography")
    indicator = Indicator.objects.filter(pk=OuterRef("indicator_id"))
    Reading.objects.filter(state="published", published_year_start__isnull=True).update(
        published_year_start=Subquery(indicator.values("partnership__year_start_month")[:1]),
        published_period_type=Subquery(indicator.values("period_type")[:1]),
        published_unit=Subquery(indicator.values("unit")[:1]),
        published_rate_per=Subquery(indicator.values("rate_per")[:1]),
        published_area_name=Subquery(Geography.objects.filter(pk=OuterRef("geography_id")).values("name")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0011_reading_published_as")]

    operations = [migrations.RunPython(stamp, migrations.RunPython.noop)]
