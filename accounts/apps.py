from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and teams"

    def ready(self) -> None:
        # Importing the module connects its receivers for Django's auth signals.
        from accounts import audit

        audit.connect()
