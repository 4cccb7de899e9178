"""Windykacja: debt collection for small businesses, in the terminal."""

from .pg_driver import hide_while_peewee_loads

# Before any of our modules imports Peewee: no PostgreSQL driver on SQLite (pg_driver.py).
hide_while_peewee_loads()
