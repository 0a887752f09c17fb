"""What every PDF of the application shares (cards, labels, letters, slips)."""
