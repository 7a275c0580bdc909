"""The regframe LA oversight return: its columns (as data) and the template writer.

The reader is :mod:`regframe.ingest.la_return`; both it and the writer take
every header, type, range and help text from :mod:`regframe.returns.columns`.
"""
