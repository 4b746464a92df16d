"""The patient page's read model, as the desk knows it: built by the services in one transaction."""
from __future__ import annotations

from decomp_desk.services.patient_file import PatientFile, read_patient_file
from decomp_desk.services.patient_file_parts import reread_patient_file

load_patient_file = read_patient_file

__all__ = ["PatientFile", "load_patient_file", "reread_patient_file"]
