"""Question banks for learning-management systems: Moodle XML and GIFT (DESIGN §11)."""
