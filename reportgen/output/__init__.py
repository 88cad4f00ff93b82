"""Stage 5, output: which outputs are stale (plan), what was written (manifest), and the
atomic writes themselves (write). Standard library, errors, project and the format registry.
"""
