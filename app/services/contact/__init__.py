"""Contact with clients: contacts and the contact policy, appointments and their cards, the calendar export, permanence desks, the reach monitor."""
