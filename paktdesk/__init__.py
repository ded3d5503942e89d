"""PaktDesk: the Pakt für Integration (Baden-Württemberg) for a Gemeinde's desk."""

__version__ = "0.1.0"
APP_NAME = "PaktDesk"
