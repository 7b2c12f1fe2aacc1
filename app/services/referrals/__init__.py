"""Referrals to partner offers: the offers and their catalogue, referrals, the letterhead, the referral letters."""
