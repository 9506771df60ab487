"""Reading source files: text decoding, YAML with line numbers, Markdown tokens."""
