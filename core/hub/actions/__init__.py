"""Every write to the hub: validated, atomic, audited, keyword-only acting_user."""
