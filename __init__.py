"""Windykacja: debt collection for small businesses, in the terminal."""
