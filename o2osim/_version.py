"""The version of o2osim: the installed distribution's, else ``0.0.0+unknown``.

A leaf of its own so that the run layer (which records the version in every manifest) reads it
without importing the package's public face, ``o2osim/__init__.py``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("o2osim")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
