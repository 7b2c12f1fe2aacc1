"""The synthetic demo caseload: clients, their activity and referrals."""
