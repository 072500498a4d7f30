"""syncro-tui: a terminal dashboard for Syncro PSA technicians."""

__version__ = "0.1.0"
