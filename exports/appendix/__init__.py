"""The appendix: its layout and print options, and the PDF and Word renderers that draw it."""
