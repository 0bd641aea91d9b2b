"""``python -m bench.lens_eval``: see the package docstring."""

from bench.lens_eval.cli import main

main()
