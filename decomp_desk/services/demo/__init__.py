"""The demo clinic (loading.py), its made-up stories, its appointment book and its outcome forms."""
