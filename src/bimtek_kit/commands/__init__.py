"""Command implementations, callable without the CLI (tests call them directly)."""
