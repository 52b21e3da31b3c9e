"""tripleaim: the open platform an NHS integrated care system runs on."""

__version__ = "0.1.0"
