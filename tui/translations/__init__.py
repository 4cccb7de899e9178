"""Polish wordings of the interface, one module per screen (see ``tui/i18n.py``)."""
