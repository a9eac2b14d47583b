from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and audit")

    def ready(self):
        # Imported here, not at the top: models can be imported only once the apps are loaded.
        from alliance_portal.core import todo

        from . import signals  # noqa: F401 - connects the login audit receivers
        from . import todo as own_todo

        todo.provide(own_todo.items)
