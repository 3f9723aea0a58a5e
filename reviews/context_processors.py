from django.utils.functional import SimpleLazyObject

from reviews.queries import unread_count


def inbox(request):
    """The unread notification count for the header, queried only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
