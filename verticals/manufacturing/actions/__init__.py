"""Every write of the manufacturing vertical, by subject: `stations` (set-up, threshold,
guard), `inspections` (a part through the model) and `reviews` (an operator's finding)."""
