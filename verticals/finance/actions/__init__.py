"""Every write of the finance vertical, by subject: `risk_inventory` (the model-risk
inventory and going live) and `scoring` (online scoring, each call recorded once)."""
