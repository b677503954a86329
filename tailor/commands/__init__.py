"""CLI commands, one module each. Every module has `register(app)`; `tailor/cli.py` lists the modules."""
