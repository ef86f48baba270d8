"""The models the README's examples use (Product, Item), made for tests/readme only."""

from django.conf import settings
from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=100)
    category = models.CharField(max_length=50)

    class Meta:
        app_label = "readme"

    def __str__(self):
        return self.name


class Item(models.Model):
    name = models.CharField(max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

    class Meta:
        app_label = "readme"
