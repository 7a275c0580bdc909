"""The single source of regframe's version number."""

__version__ = "0.1.0"
