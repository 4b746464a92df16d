"""Backup and restore of the clinic's database (backup_restore.py), its check (database_check.py), the
automatic daily backups (daily_backups.py), the encrypted backup container and the older backup formats a
restore still reads. Imported where a backup starts, never at the desk's start."""
