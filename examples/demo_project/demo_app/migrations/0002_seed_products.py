"""Seed data: a small catalogue for the search and shop pages."""

from decimal import Decimal

from django.db import migrations

CATALOGUE = {
    "books": [
        ("Dune", "12.99"),
        ("Neuromancer", "10.50"),
        ("The Hobbit", "9.99"),
        ("Snow Crash", "11.25"),
        ("Foundation", "8.75"),
        ("Hyperion", "13.40"),
        ("The Left Hand of Darkness", "10.99"),
        ("Solaris", "9.50"),
    ],
    "electronics": [
        ("Desk Lamp", "24.00"),
        ("Mechanical Keyboard", "89.00"),
        ("Noise-cancelling Headphones", "199.00"),
        ("USB-C Charger", "29.99"),
        ("Portable Speaker", "59.00"),
        ("E-reader", "129.00"),
        ("Webcam", "49.50"),
        ("Lamp Dimmer", "19.90"),
    ],
    "kitchen": [
        ("Cast Iron Pan", "39.00"),
        ("Chef's Knife", "64.00"),
        ("Kettle", "34.50"),
        ("French Press", "27.00"),
        ("Salad Spinner", "18.00"),
        ("Lava Lamp Mug", "12.00"),
        ("Pepper Mill", "22.00"),
        ("Teapot", "25.00"),
    ],
    "garden": [
        ("Watering Can", "16.00"),
        ("Pruning Shears", "21.50"),
        ("Solar Garden Lamp", "14.99"),
        ("Seed Starter Kit", "11.00"),
        ("Hammock", "79.00"),
        ("Bird Feeder", "23.00"),
    ],
}


def seed(apps, schema_editor):
    product = apps.get_model("demo_app", "Product")
    product.objects.bulk_create(
        product(
            name=name,
            category=category,
            price=Decimal(price),
            description=f"{name}, from our {category} range.",
        )
        for category, items in CATALOGUE.items()
        for name, price in items
    )


def unseed(apps, schema_editor):
    apps.get_model("demo_app", "Product").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("demo_app", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
