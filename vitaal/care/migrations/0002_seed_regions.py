"""Seed the twelve Dutch provinces as regions providers can serve."""

from django.db import migrations

PROVINCES = {
    "GR": ("Groningen", "Groningen"),
    "FR": ("Fryslân", "Friesland"),
    "DR": ("Drenthe", "Drenthe"),
    "OV": ("Overijssel", "Overijssel"),
    "FL": ("Flevoland", "Flevoland"),
    "GE": ("Gelderland", "Gelderland"),
    "UT": ("Utrecht", "Utrecht"),
    "NH": ("Noord-Holland", "North Holland"),
    "ZH": ("Zuid-Holland", "South Holland"),
    "ZE": ("Zeeland", "Zeeland"),
    "NB": ("Noord-Brabant", "North Brabant"),
    "LI": ("Limburg", "Limburg"),
}


def seed(apps, schema_editor):
    Region = apps.get_model("care", "Region")
    for code, (name_nl, name_en) in PROVINCES.items():
        Region.objects.update_or_create(code=code, defaults={"name_nl": name_nl, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
