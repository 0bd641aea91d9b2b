"""Chorus's benchmarks and evaluation harness (``python -m bench.<module>``).

Importing this package applies Chorus's offline environment defaults
(``chorus.core.env``) before any benchmark imports Prefect, transformers or Presidio.
"""

from chorus.core.env import apply_offline_defaults

apply_offline_defaults()
