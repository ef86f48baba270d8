"""Models the differential corpus renders: authors and their books, in the test database."""

from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)
    born = models.DateField(null=True)

    class Meta:
        app_label = "template"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def shout(self) -> str:
        return self.name.upper()

    def erase(self) -> None:
        raise AssertionError("templates must not call methods that alter data")

    erase.alters_data = True  # type: ignore[attr-defined]


class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    pages = models.IntegerField(default=0)
    published = models.DateTimeField(null=True)

    class Meta:
        app_label = "template"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
