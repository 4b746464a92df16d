"""Backup, restore and check of the clinic's database (maintenance.py), the encrypted backup container
and the older backup formats a restore still reads. Imported where a backup starts, never at the desk's start."""
