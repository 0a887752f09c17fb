"""Circulation: loans, returns, renewals, holds, the lending rules and the calendar."""

from mediatheque.circulation.desk import HoldLine, LoanLine, MemberPanel, member_panel
from mediatheque.circulation.loans import (
    HoldNotice,
    HoldPlaced,
    LoanDone,
    RenewDone,
    ReturnDone,
    cancel_hold,
    check_out,
    expire_holds,
    member_by_barcode,
    place_hold,
    renew_all,
    renew_loan,
    return_copy,
)
from mediatheque.circulation.scan import ScanKind, ScanTarget, classify_scan

__all__ = [
    "HoldLine",
    "HoldNotice",
    "HoldPlaced",
    "LoanDone",
    "LoanLine",
    "MemberPanel",
    "RenewDone",
    "ReturnDone",
    "ScanKind",
    "ScanTarget",
    "cancel_hold",
    "check_out",
    "classify_scan",
    "expire_holds",
    "member_by_barcode",
    "member_panel",
    "place_hold",
    "renew_all",
    "renew_loan",
    "return_copy",
]
