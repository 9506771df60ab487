"""Slides: planned from the model, laid out once in points, drawn to PPTX (DESIGN §6)."""
