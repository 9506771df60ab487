"""Model blocks as HTML, shared by every HTML-based output."""
