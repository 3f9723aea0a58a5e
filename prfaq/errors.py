"""The error every app raises when a state changed under the user (a race, a double
click): the action no longer applies. It is told as a message, never a 403, and is not
an access problem for the audit log."""

from __future__ import annotations


class StateConflict(Exception):
    """The object is no longer in a state where this action applies.

    Raised by the lifecycle tables (`TransitionNotAllowed` in each app) and the
    services; `prfaq.middleware.StateConflictMiddleware` answers any that a view does
    not catch with the message, back on the page the user came from (409 for htmx).
    """
