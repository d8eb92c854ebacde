"""The version of toc, in one place (the package, the command line and SARIF reports read it)."""

__version__ = "0.2.0"
