from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csa_tracker.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
