"""Importing a clinic's records from CSV files: the batch (importing.py), the files' format, the rules each
row is judged by, the ledger of what the database and the earlier rows hold, and the outcomes and
appointments files. Imported where an import starts, never at the desk's start."""
