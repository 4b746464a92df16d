"""`decomp-desk export DIR` (the whole clinic as the import files) and `decomp-desk export CHART --fhir
FILE.json` (one patient as a FHIR R4 Bundle). DOMAIN.md, "Export"."""
from __future__ import annotations

import argparse

from decomp_desk.bootstrap import Services
from decomp_desk.cli import arg, command


@command("export", "the clinic's data, out: the whole clinic as the import files into a new folder, or one "
                   "patient as a FHIR R4 Bundle with --fhir",
         arg("target", metavar="DIR | CHART_NUMBER",
             help="the new (or empty) folder to write the clinic into; with --fhir, the patient's chart number"),
         arg("--fhir", metavar="FILE.json", help="write the patient CHART_NUMBER as a FHIR R4 Bundle to this file"),
         arg("--identifier-system", metavar="URI",
             help="with --fhir: the system of the chart-number identifier (default urn:decomp-desk:chart-number)"))
def export(args: argparse.Namespace, services: Services) -> int:
    if args.fhir:
        r = services.exports.patient_fhir(args.target, args.fhir, args.identifier_system)
        print(f"Wrote {r.patient_name} (chart {r.chart_number}) as a FHIR R4 Bundle of {r.resources} resources "
              f"to {r.file}.")
        return 0
    report = services.exports.clinic(args.target)
    print(f"Exported the clinic: {report.describe()}.")
    return 0
