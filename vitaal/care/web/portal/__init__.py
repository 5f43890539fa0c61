"""The employee portal: finder, health check, own requests, referrals to accept, evaluations, own data."""
