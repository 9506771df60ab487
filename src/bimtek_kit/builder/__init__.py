"""Turning parsed sources into the course model (Markdown tokens -> blocks, YAML -> records)."""
