"""The audit log: sign-ins, failed sign-ins, lockouts and refused requests.

One line per event on the `prfaq.audit` logger, as `key=value` pairs: the event, who
(user id and email, or "anonymous"), the client address, method, path and outcome;
the time is the log record's. Passwords, query strings and the tokens that ride in
invitation and password-reset links never reach it.

Refusals are every 403 response, and every 404 an access function raises with
`Concealed` for an object that exists but is not the user's to see. Both are noticed
by `AuditMiddleware` after the view has run, so logging costs no query.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse

logger = logging.getLogger("prfaq.audit")

# URL arguments that are credentials: invitation links and password-reset links.
SECRET_URL_KWARGS = frozenset({"token", "uidb64"})
REDACTED = "[redacted]"
# The same secrets found by where they sit, also when no URL pattern matched.
_SECRET_PATHS = [
    (re.compile(r"(/invitations/)[^/]+"), rf"\g<1>{REDACTED}"),
    (re.compile(r"(/reset/)[^/]+/[^/]+"), rf"\g<1>{REDACTED}/{REDACTED}"),
]
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9@._+:/\[\]-]+")
EMAIL_MAX = 254


class Concealed(Http404):
    """An object exists, but the user may not know that: answered exactly as a missing one.

    Access functions raise it instead of Http404 where they refuse an existing object,
    so the audit log can tell a probe from a mistyped link. Same status, same message.
    """


def _value(value: object) -> str:
    """A log value that cannot forge another field or line: quoted unless plain."""
    text = str(value)
    return text if _PLAIN_VALUE.fullmatch(text) else json.dumps(text)


def safe_path(request: HttpRequest) -> str:
    """The request path without its query string and with link tokens redacted."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for key in SECRET_URL_KWARGS & match.kwargs.keys():
            secret = str(match.kwargs[key])
            if secret:
                path = path.replace(f"/{secret}/", f"/{REDACTED}/")
    return redact(path)


def redact(text: str) -> str:
    """`text` with any invitation or password-reset token in a path redacted."""
    for pattern, replacement in _SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """A handler filter: Django's own request lines ("Forbidden: /invitations/<token>/")
    carry the path too; redact link tokens from every line the handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/invitations/" in message or "/reset/" in message:
            record.msg = redact(message)
            record.args = None
        return True


def client_ip(request: HttpRequest | None) -> str:
    """The client address as django-axes sees it (honouring PROXY_COUNT), or "-"."""
    if request is None:
        return "-"
    ip = getattr(request, "axes_ip_address", None)
    if ip is None:
        from axes.helpers import get_client_ip_address

        ip = get_client_ip_address(request)
    return ip or "-"


def record(
    event: str,
    request: HttpRequest | None,
    *,
    outcome: str,
    user: Any = None,
    email: str | None = None,
    reason: str = "",
    level: int = logging.INFO,
) -> None:
    """Write one audit line. `user` is a User (or None for anonymous)."""
    fields: dict[str, object] = {"event": event}
    if user is not None and getattr(user, "is_authenticated", False):
        fields["user"] = user.pk
        fields["email"] = user.email
    else:
        fields["user"] = "anonymous"
        if email:
            fields["email"] = email
    fields["ip"] = client_ip(request)
    fields["method"] = (request.method if request is not None else None) or "-"
    fields["path"] = (safe_path(request) if request is not None else "") or "-"
    fields["outcome"] = outcome
    if reason:
        fields["reason"] = reason
    logger.log(
        level,
        " ".join(f"{key}={_value(value)}" for key, value in fields.items()),
        extra={"audit": fields},
    )


def _attempted_email(credentials: dict[str, Any] | None, request: HttpRequest | None) -> str:
    """The login name tried, lower-cased; never anything else from the credentials."""
    value = (credentials or {}).get("username")
    if not isinstance(value, str) and request is not None:
        value = request.POST.get("username")
    return value.strip().lower()[:EMAIL_MAX] if isinstance(value, str) else ""


@receiver(user_logged_in, dispatch_uid="audit_logged_in")
def _logged_in(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record("login", request, user=user, outcome="success")


@receiver(user_logged_out, dispatch_uid="audit_logged_out")
def _logged_out(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record("logout", request, user=user, outcome="success")


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(
    sender: object,
    credentials: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    # A wrong password and an attempt while locked out both land here; django-axes
    # follows the latter with a "lockout" line of its own.
    record(
        "login_failed",
        request,
        email=_attempted_email(credentials, request),
        outcome="failure",
        level=logging.WARNING,
    )


def _locked_out(
    sender: object, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    record(
        "lockout",
        request,
        email=(username or "").strip().lower()[:EMAIL_MAX],
        outcome="locked_out",
        level=logging.WARNING,
    )


def connect() -> None:
    """Listen for django-axes' lockout signal (called from AccountsConfig.ready)."""
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="audit_locked_out")


class AuditMiddleware:
    """Log every 403, and every 404 an access function raised with `Concealed`.

    Sits after AuthenticationMiddleware; reads only what the request already holds.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        concealed = getattr(request, "_audit_concealed", None)
        if status == 403 or (status == 404 and concealed is not None):
            record(
                "access_denied",
                request,
                user=getattr(request, "user", None),
                outcome=str(status),
                reason=str(concealed or getattr(request, "_audit_reason", "")),
                level=logging.WARNING,
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, Concealed):
            request._audit_concealed = str(exception)  # type: ignore[attr-defined]
        elif isinstance(exception, PermissionDenied):
            request._audit_reason = str(exception)  # type: ignore[attr-defined]
