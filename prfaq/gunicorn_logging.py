"""Gunicorn's access log without the secrets some URLs carry.

Invitation and password-reset links hold their token in the path, and the page a
visitor came from (the Referer) can too. Run gunicorn with
``--logger-class prfaq.gunicorn_logging.RedactingLogger`` (the Dockerfile does).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> dict:
        from accounts.audit import redact  # the worker has loaded Django by now

        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(v) if isinstance(v, str) else v for key, v in atoms.items()}
