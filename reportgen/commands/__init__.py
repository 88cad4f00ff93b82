"""The commands: render (with its PDF worker pool), check (with its linter), new, import and
serve. Each calls the stages and never another command; the import-linter contracts in
pyproject.toml keep it so. cli.py parses the command line and calls them.
"""
