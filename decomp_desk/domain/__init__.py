"""Clinic rules: plain Python, no Qt and no SQLAlchemy (an import-linter contract keeps it so)."""
