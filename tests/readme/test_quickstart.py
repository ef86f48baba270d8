"""The README's quick start, followed to the letter by a new user, works.

The project is made with ``django-admin startproject`` and ``startapp``; every file the README
shows is taken from README.md itself (its ```` ```lang title="path" ```` blocks) and written as
printed. Then: ``manage.py check`` passes, and each host serves it without ``migrate`` while a
browser clicks the counter: uvicorn (as the README says, ``[channels]``) and ``djust serve``
(``[serve]``), the same project unchanged.
"""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.livesupport import HOSTS, click_counter, live_server, project_env, server_log

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK_RE = re.compile(r'^```\w+ title="([^"]+)"\n(.*?)^```', re.S | re.M)


def readme_files() -> dict[str, str]:
    """Every file the README prints, by its path."""
    return dict(BLOCK_RE.findall(README.read_text()))


def quick_example() -> str:
    """The README's first code block: the template_string counter."""
    text = README.read_text()
    return re.search(r"^```python\n(.*?)^```", text, re.S | re.M).group(1)


def apply_settings(settings_py: Path, snippet: str) -> None:
    """Edit startproject's settings as the README says: add its apps, then its new settings."""
    source = settings_py.read_text()
    apps_snippet, rest = re.match(r"(INSTALLED_APPS = \[.*?\]\n)(.*)", snippet, re.S).groups()
    new_apps = re.findall(r"^\s*'([\w.]+)',", apps_snippet, re.M)
    assert new_apps == ["channels", "djust"]
    insertion = "".join(f"    '{app}',\n" for app in new_apps)
    source = re.sub(
        r"(INSTALLED_APPS = \[\n(?:.*\n)*?)(\]\n)", rf"\1{insertion}\2", source, count=1
    )
    settings_py.write_text(source + "\n" + rest)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("readme") / "site"
    root.mkdir()

    def run(*args: str) -> None:
        subprocess.run(args, cwd=root, check=True, capture_output=True, env=project_env())

    run(sys.executable, "-m", "django", "startproject", "myproject", ".")
    run(sys.executable, "manage.py", "startapp", "myapp")
    files = readme_files()
    assert set(files) == {
        "myproject/settings.py",
        "myproject/asgi.py",
        "myproject/urls.py",
        "myapp/views.py",
        "myapp/templates/counter.html",
    }
    apply_settings(root / "myproject/settings.py", files.pop("myproject/settings.py"))
    for path, content in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(content)
    # The Quick Example (template_string) in an app of its own, routed beside the counter.
    (root / "quick").mkdir()
    (root / "quick/__init__.py").write_text("")
    (root / "quick/views.py").write_text(quick_example())
    with open(root / "myproject/urls.py", "a") as urls:
        urls.write(
            "\nfrom quick.views import CounterView as QuickCounterView\n"
            "urlpatterns.append(path('quick/', QuickCounterView.as_live_view()))\n"
        )
    return root


def test_manage_py_check_passes(project):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        env=project_env(),
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


@pytest.mark.browser
@pytest.mark.parametrize("url", ["/counter/", "/quick/"])
@pytest.mark.parametrize("host", HOSTS)
def test_counter_clicks_update_the_page_without_reload(project, page, host, url):
    with live_server(
        host,
        project,
        asgi="myproject.asgi:application",
        settings="myproject.settings",
        ready_path=url,
    ) as base:
        html = urllib.request.urlopen(base + url).read().decode()
        assert "Count: 0" in html, "the first response is the rendered page, not a shell"
        assert "data-djust-client" in html, "the client script is in the page itself"
        page.goto(base + url)
        page.wait_for_selector("[dj-connected]", timeout=10_000)
        page.evaluate("window.__sameDocument = true")
        buttons = page.locator("button")
        plus, minus = "button:text-is('+')", "button:text-is('-')"
        assert buttons.count() == 2
        click_counter(page, plus, minus)
        assert page.locator("h1").inner_text() == "Count: 2"
        assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"
        page.goto("about:blank")  # leave before the server stops, or the client reconnects
    assert "Traceback" not in server_log(project), server_log(project)
    assert not (project / "db.sqlite3").exists(), "nothing may need the database"
