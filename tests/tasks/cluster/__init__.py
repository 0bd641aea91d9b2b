"""Tests of tasks.cluster, one module per module."""
