"""A local Syncro: the REST API with its real shapes and quirks, seeded demo data and fault injection.

Part of the product: ``syncro-tui --demo`` runs the app on it, ``syncro-tui
simulator`` serves it on loopback for curl and for training, and the tests run
against it in-process.
"""

from .app import API_PREFIX, Simulator
from .faults import Fault
from .shop import DEMO_KEY

__all__ = ["API_PREFIX", "DEMO_KEY", "Fault", "Simulator"]
