"""Members' privacy: anonymising loan history, and a member's own data on request."""

from mediatheque.privacy.anonymise import (
    PrivacySettings,
    anonymise_loan_at_return,
    anonymise_old_loans,
    load_privacy_settings,
    save_privacy_settings,
)
from mediatheque.privacy.export import export_member_data, write_member_data

__all__ = [
    "PrivacySettings",
    "anonymise_loan_at_return",
    "anonymise_old_loans",
    "export_member_data",
    "load_privacy_settings",
    "save_privacy_settings",
    "write_member_data",
]
