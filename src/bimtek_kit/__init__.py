"""bimtek-kit: one Markdown source, a complete Indonesian training package."""

__version__ = "0.1.0"
