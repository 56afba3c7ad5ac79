from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "canbo.core"
    label = "core"
    verbose_name = "Nền tảng"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from canbo.core import checks  # noqa: F401  (registers the deploy check)

        user_logged_in.connect(_seen_at_login, dispatch_uid="canbo.core.session_seen")


def _seen_at_login(sender: object, request: object, **kwargs: object) -> None:
    from canbo.core.middleware import mark_session_seen

    if request is not None and hasattr(request, "session"):
        mark_session_seen(request)  # type: ignore[arg-type]
