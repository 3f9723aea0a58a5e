from django.contrib import admin

from prfaq.models import Contract, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "to_email", "status", "attempts", "created", "sent"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject"]
    readonly_fields = ["created", "sent", "attempts", "last_error"]


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
