"""Printed pages and charts. Qt-free: the page data (page_data), the one HTML kit (page_kit), each page's
HTML (summary_html, statement_html, estimate_html, clinic_report_html, day_sheet, function_html), the
charts, and the pages themselves (pages: data -> HTML + figures). The PDF writer (pdf_writer) alone uses Qt.

Importing this package imports nothing else, so the services can use `reports.page_data` without
loading matplotlib or Qt; import the module you need:

    from decomp_desk.reports.pages import printed_page
    from decomp_desk.reports.pdf_writer import write_page_pdf
"""
