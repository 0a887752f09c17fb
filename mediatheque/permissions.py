"""Who is acting, and what each staff role may do. Services check it themselves, so a
hidden button is never the only guard."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mediatheque.errors import PermissionDenied
from mediatheque.models.vocabulary import StaffRole


class Permission(StrEnum):
    VIEW = "view"  # read the catalogue and the members
    LEND = "lend"  # loans, returns, renewals, holds
    OVERRIDE = "override"  # lend despite a refusal, with a reason
    CATALOGUE = "catalogue"  # create and edit records and copies, import catalogues
    MEMBERS = "members"  # register and edit members, print cards
    REPORTS = "reports"  # overdue lists, notices, monthly workbook
    EXPORT = "export"  # FM21 packages, spreadsheets
    DELETE = "delete"  # delete records, copies, members
    SETTINGS = "settings"
    STAFF = "staff"
    RESTORE = "restore"
    AUDIT = "audit"  # read the audit trail


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    StaffRole.ADMIN: frozenset(Permission),
    StaffRole.LIBRARIAN: frozenset(
        {
            Permission.VIEW,
            Permission.LEND,
            Permission.OVERRIDE,
            Permission.CATALOGUE,
            Permission.MEMBERS,
            Permission.REPORTS,
            Permission.EXPORT,
        }
    ),
    StaffRole.DIRECTOR: frozenset(
        {Permission.VIEW, Permission.REPORTS, Permission.EXPORT, Permission.AUDIT}
    ),
}


@dataclass(frozen=True)
class Actor:
    """The person on whose behalf a service runs. `staff_id` is None for the single local
    administrator of a library that has defined no staff account (and for the CLI there)."""

    login: str
    role: str
    staff_id: int | None = None

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS.get(self.role, frozenset())

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(permission=permission.value, role=self.role)


LOCAL_ADMIN = Actor(login="local", role=StaffRole.ADMIN)
