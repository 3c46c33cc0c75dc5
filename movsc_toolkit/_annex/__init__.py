"""The parts of :mod:`movsc_toolkit.annex`, one subject each: :mod:`.sanitize` (safe HTML, no
file paths), :mod:`.collect` (walking the notebook), :mod:`.page` (the HTML page), :mod:`.pdf`
(PDF and the A4 check), :mod:`.docx` (Word).
"""
