"""A project tag library, as a site would have: simple tags and filters djust calls back."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def greet(name, punctuation="!"):
    return f"Hello, {name}{punctuation}"


@register.simple_tag(takes_context=True)
def who(context, key="user"):
    return f"<{context.get(key, 'nobody')}>"


@register.simple_tag
def bold(text):
    return format_html("<b>{}</b>", text)


@register.simple_tag
def total(*numbers, start=0):
    return sum(numbers, start)


@register.filter
def double(value):
    return value * 2


@register.filter(is_safe=True)
def wrap(value, tag="em"):
    return mark_safe(f"<{tag}>{value}</{tag}>")


@register.filter(needs_autoescape=True)
def shout(value, autoescape=True):
    from django.utils.html import conditional_escape

    text = conditional_escape(value) if autoescape else value
    return mark_safe(f"{text}!")


@register.inclusion_tag("corpus/inclusion.html")
def card(title):
    return {"title": title}


@register.simple_tag
def kinds(*args, **kwargs):
    """The Python types the tag was given: what djust hands to Django must be what Django's
    engine hands (SafeString for literals, the context's own objects, lazy strings...)."""
    return ",".join(type(value).__name__ for value in [*args, *kwargs.values()])


@register.simple_tag(takes_context=True)
def context_kind(context, name):
    return f"{type(context.get(name)).__name__}:{type(context).__name__}"


@register.filter
def kinds_of(value, arg=None):
    return f"{type(value).__name__}/{type(arg).__name__}"
