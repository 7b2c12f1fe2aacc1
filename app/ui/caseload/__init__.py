"""The caseload window's parts: the lazy table model and its widgets, filters, the client file and its boxes, the client picker, today's list, the new-client form."""
