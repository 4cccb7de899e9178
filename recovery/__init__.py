"""Handing overdue debts to a collection agency (SPEC §8)."""
