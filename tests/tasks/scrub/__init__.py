"""Tests of the scrub stage (``tasks.scrub``), one module per source module."""
