"""accessible_reader: offline-first reading service for visually impaired readers.

Data flows one way: ingest -> document -> (speech plan -> audio) | (braille plan -> pages) -> exporters.
"""

__version__ = "0.1.0"
