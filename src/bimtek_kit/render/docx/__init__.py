"""The handbook and the facilitator guide as editable Word documents (DESIGN §11)."""
