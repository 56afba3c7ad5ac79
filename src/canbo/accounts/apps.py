from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "canbo.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self) -> None:
        # org's restructuring carries the grants on a closed unit; accounts sits above org.
        from canbo.accounts.services import grants_carry
        from canbo.org import hooks as org

        org.carry_grants.register(grants_carry)
