"""Staff accounts, logging in, the idle lock's settings and the audited settings services."""

from mediatheque.staff.accounts import (
    StaffRow,
    create_staff,
    list_staff,
    normalise_login,
    reset_password,
    staff_accounts_exist,
    update_staff,
)
from mediatheque.staff.login import (
    actor_without_login,
    authenticate,
    check_credentials,
    lock_delay,
    log_in,
)
from mediatheque.staff.settings import (
    StaffSettings,
    change_library_settings,
    configure_library,
    load_staff_settings,
    save_staff_settings,
)

__all__ = [
    "StaffRow",
    "StaffSettings",
    "actor_without_login",
    "authenticate",
    "change_library_settings",
    "check_credentials",
    "configure_library",
    "create_staff",
    "list_staff",
    "load_staff_settings",
    "lock_delay",
    "log_in",
    "normalise_login",
    "reset_password",
    "save_staff_settings",
    "staff_accounts_exist",
    "update_staff",
]
