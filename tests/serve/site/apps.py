from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "tests.serve.site"
    label = "serve_site"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from tests.serve.site import views

        request_finished.connect(views.count_finished, dispatch_uid="serve-site-finished")
