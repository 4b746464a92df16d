"""The appointment book at the desk: Today, the day and week book, their dialogs and settings."""
