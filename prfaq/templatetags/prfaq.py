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


@register.filter
def duration(seconds: int | None) -> str:
    """12 min 5 s, for reading times."""
    if seconds is None:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


@register.filter
def section_label(section: str) -> str:
    """A human name for a comment's section key."""
    from prfaq import document

    if section == "general":
        return "Whole document"
    if section == "benefit.metrics":
        return "Success metrics"
    step, _, key = section.partition(".")
    if step == "faq":
        return "FAQ answer"
    spec = document.STEPS_BY_KEY.get(step)
    if spec is None:
        return section
    label = next((f.label for f in spec.fields if f.key == key), key)
    return f"{spec.title}: {label}"


@register.filter
def num(value: Any) -> str:
    """A decimal without trailing zeros: 42.40 -> 42.4, 48.0000 -> 48."""
    from decimal import Decimal

    if value is None or value == "":
        return "?"
    if not isinstance(value, Decimal):
        return str(value)
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
