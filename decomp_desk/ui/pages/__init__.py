"""The window's pages: the patient list, and one patient's page with its tabs."""
