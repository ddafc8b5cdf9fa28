"""The covering report the appendix is attached to: its layout, PDF and Word renderers."""
