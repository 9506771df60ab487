"""After the training (DESIGN §10): scannable answer sheets, reading them, scores and the report."""
