from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse

from prfaq.models import Contract, Notification, NotificationStatus


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here: services write these rows."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox, for support. Read-only: services write it.

    Silent reading holds here too: a held message is never shown (it is someone's
    until they finish reading), nor anything caused by the review of a proposal the
    staff member is still reading; both are answered as if they did not exist.
    """

    list_display = ["kind", "to_email", "status", "attempts", "created", "sent"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject"]
    readonly_fields = ["created", "sent", "attempts", "last_error"]
    actions = None  # the bulk-action checkboxes would print every row's numeric id

    def get_changelist(self, request, **kwargs):  # type: ignore[no-untyped-def]
        return KeyedChangeList

    def get_object(self, request, object_id, from_field=None):  # type: ignore[no-untyped-def]
        # Pages are addressed by key: numeric ids would let a reader count the gaps.
        return self.get_queryset(request).filter(key=object_id).first()

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        from reviews.visibility import reading_proposal_ids

        return (
            super()
            .get_queryset(request)
            .exclude(status=NotificationStatus.HELD)
            .exclude(proposal_id__in=reading_proposal_ids(request.user))
        )


class KeyedChangeList(ChangeList):
    """Links each row by its key instead of its numeric id."""

    def url_for_result(self, result):  # type: ignore[no-untyped-def]
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(quote(result.key),),
            current_app=self.model_admin.admin_site.name,
        )


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    """Read-only: a contract version is never changed or deleted."""

    list_display = ["proposal", "version", "approved", "content_hash"]
    readonly_fields = [
        "proposal",
        "version",
        "revision",
        "content_hash",
        "approvers",
        "rounds",
        "approved",
    ]
