"""Existing material in: Word modules, PowerPoint decks, Carpentries lessons -> module sources.

Each importer reads one file into a `Draft` (front matter, Markdown body, images, warnings);
`commands.importing` writes it as the next numbered module, like `new-module`, and checks it.
"""
