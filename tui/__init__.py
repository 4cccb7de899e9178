"""The terminal interface (Textual). Nothing below this package imports it."""
