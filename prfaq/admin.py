from django.contrib import admin

from prfaq.models import Contract, Notification, NotificationStatus


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, for support. Read-only: services write it.

    Silent reading holds here too: a held message is never shown (it is someone's
    until they finish reading), nor anything caused by the review of a proposal the
    staff member is still reading; both are answered as if they did not exist.
    """

    list_display = ["kind", "to_email", "status", "attempts", "created", "sent"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject"]
    readonly_fields = ["created", "sent", "attempts", "last_error"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        from reviews.visibility import reading_proposal_ids

        return (
            super()
            .get_queryset(request)
            .exclude(status=NotificationStatus.HELD)
            .exclude(proposal_id__in=reading_proposal_ids(request.user))
        )

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
