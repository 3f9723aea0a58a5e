from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Any, key: str) -> Any:
    """`mapping|lookup:key` for dict keys that are not valid template identifiers."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
