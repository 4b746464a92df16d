"""Pages and charts: Qt-free building blocks (context, charts, summary_html) and the PDF writer (pdf).

Importing this package imports nothing else, so the services can use `reports.context` without
loading matplotlib or Qt; import the module you need:

    from decomp_desk.reports.charts import progress_figure
    from decomp_desk.reports.pdf import write_summary_pdf, summary_document
"""
