"""The desktop application (PySide6). The only package that imports Qt (DESIGN.md §2).

`mediatheque.ui.entry` is the console-script entry point; it hands itself to the command
line as its front end and imports Qt only when a window is actually wanted.
"""
