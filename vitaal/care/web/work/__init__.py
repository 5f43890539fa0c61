"""Referrals by staff, the care coordinator's queue, providers' side, collective activities."""
