"""Paged documents beside the handbook: worksheets, tests, forms, guide, schedule."""
