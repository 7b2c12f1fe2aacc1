"""Referrals: the offer catalogue, the referral form and window, letters and the letterhead settings."""
