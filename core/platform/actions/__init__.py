"""Every write to platform state. Each function runs in a transaction, takes a
keyword-only acting_user and records an audit event."""
