"""The test app holding the differential corpus's models and tag library."""

from django.apps import AppConfig


class TemplateCorpusConfig(AppConfig):
    name = "tests.template"
    label = "template"
