"""Chorus's stages (``tasks.<stage>``) and the modules they share (``tasks.recognizers``,
``tasks.embedders``).

Importing this package applies Chorus's offline environment defaults
(``chorus.core.env``) before any stage module runs, so a stage may import Prefect,
transformers or Presidio at its top, in any import order.
"""

from chorus.core.env import apply_offline_defaults

apply_offline_defaults()
