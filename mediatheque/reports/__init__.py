"""Overdue follow-up (list, notice levels, letters, e-mail, exports) and the director's
monthly workbook. Reads the loan, member and catalogue tables directly."""
