"""tailor: build the smallest inference library that runs a given set of Paddle Lite .nb models."""

__version__ = "0.1.0"
