"""``python -m exporters``: the same as the ``transcript`` command."""

from .cli import run

run()
