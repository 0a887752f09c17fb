"""Members (lecteurs): registration, renewal, lost cards, deletion, search, categories and
loan rules, CSV import. Plain functions taking a Session first (DESIGN.md §2); each
service checks the actor's permission and writes its audit entry."""
