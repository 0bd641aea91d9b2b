"""Chorus's flows: the composition of the stages (``flows.composition``) and the Prefect
flow that runs it (``flows.pipeline``).

Importing this package applies Chorus's offline environment defaults
(``chorus.core.env``) before any flow module imports Prefect.
"""

from chorus.core.env import apply_offline_defaults

apply_offline_defaults()
