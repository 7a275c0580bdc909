"""Reading and writing files safely: hardened XML, xlsx checks and cell helpers, format detection.

These modules know file formats, not regulation: what a DOCTYPE is, how big a
zip part may be, which text would become a formula in a spreadsheet.
"""
