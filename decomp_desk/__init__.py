"""DecompDesk: the desk a chiropractic office uses to run its spinal decompression service."""

__version__ = "0.1.0"
