"""Shared fixtures. The offscreen platform is set before anything can import Qt: without a display
every Qt process would abort."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")
