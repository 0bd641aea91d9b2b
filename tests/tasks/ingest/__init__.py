"""Tests of the ingest stage (``tasks.ingest``), one module per source module."""
