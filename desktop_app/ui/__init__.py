"""PySide6 user interface: windows, dialogs, table models and printing."""
