from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csa_tracker.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from csa_tracker.sessions import note_sign_in
        from csa_tracker.typed_text import discard_others

        user_logged_in.connect(note_sign_in, dispatch_uid="csa_tracker.sessions.note_sign_in")
        user_logged_in.connect(discard_others, dispatch_uid="csa_tracker.typed_text.discard_others")
