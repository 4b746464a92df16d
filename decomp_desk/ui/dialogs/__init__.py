"""Dialogs. Each has a classmethod `ask(...)` returning its result (or None), which tests replace."""
