"""``manage.py djust_audit`` and the system checks about auth posture and deployment."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core import checks
from django.core.management import CommandError, call_command

from djust.checks import check_auth_posture, check_deployment


def audit(*args):
    out = StringIO()
    call_command("djust_audit", *args, stdout=out)
    return out.getvalue()


def test_the_audit_lists_views_urls_handlers_permissions_and_posture():
    views = {v["url"]: v for v in json.loads(audit("--json"))}
    public = views["/security/public/"]
    assert public["view"] == "tests.testapp.security_views.PublicView"
    assert public["posture"] == "public (login_required = False)"
    handlers = {h["name"]: h for h in public["handlers"]}
    assert handlers["purge"]["requires"] == "permission: auth.delete_user"
    assert handlers["save"]["requires"] == "login required"
    assert handlers["say"]["parameters"] == "(text: 'str' = '')"
    assert views["/security/private/"]["posture"] == "login required"
    assert views["/security/staff/"]["posture"] == "permission: auth.view_user"
    limited = {h["name"]: h for h in views["/security/limited/"]["handlers"]}
    assert limited["shout"]["limits"] == "rate_limit 1/s burst 2"
    assert views["/counter/"]["posture"] == "undeclared"
    assert "_private" not in str(views) and "mount" not in {h["name"] for h in public["handlers"]}


def test_the_audit_in_text_and_strict():
    text = audit()
    assert "/security/staff/  tests.testapp.security_views.StaffView" in text
    assert "without a declared auth posture" in text
    with pytest.raises(CommandError, match="login_required = False"):
        audit("--strict")


def test_the_posture_check_names_each_undeclared_view_and_only_those():
    found = check_auth_posture()
    assert {m.id for m in found} == {"djust.S005"}
    named = " ".join(m.msg for m in found)
    assert "tests.testapp.views.CounterView (at /counter/)" in named
    assert "security_views" not in named


def test_the_posture_check_is_a_deploy_check():
    assert check_auth_posture in checks.registry.registry.get_checks(include_deployment_checks=True)
    assert check_auth_posture not in checks.registry.registry.get_checks()


def test_deployment_checks(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    assert {m.id for m in check_deployment()} == {"djust.S006", "djust.S007"}
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer"}}
    settings.ALLOWED_HOSTS = ["example.com"]
    assert check_deployment() == []
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["*"]
    assert check_deployment() == [], "development is not a deployment"
