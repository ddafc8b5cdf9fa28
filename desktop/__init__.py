"""The application: command line, QApplication, main window, menus and the open document."""

__version__ = "0.1.0"
