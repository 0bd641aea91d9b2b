"""One pydantic model per stage (``extra="forbid"``, bounded fields with descriptions).

They live in the foundation so that the configuration (``chorus.core.config``) can
compose them without importing any stage.
"""

from chorus.core.settings.cluster import ClusterSettings
from chorus.core.settings.embed import EmbedSettings
from chorus.core.settings.facets import FacetSettings
from chorus.core.settings.ingest import IngestSettings
from chorus.core.settings.lens import LensSettings
from chorus.core.settings.llm import LLMSettings
from chorus.core.settings.privacy import DPSettings, PrivacySettings
from chorus.core.settings.scrub import ScrubSettings
from chorus.core.settings.summarize import SummarizeSettings

__all__ = ["ClusterSettings", "DPSettings", "EmbedSettings", "FacetSettings",
           "IngestSettings", "LLMSettings", "LensSettings", "PrivacySettings", "ScrubSettings",
           "SummarizeSettings"]
