"""``bench.lens_eval.cli``: options, and the printout of a results document."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.lens_eval.cli import LATEST, RESULTS, parse_args, print_boundary_reliance


def test_defaults_and_options() -> None:
    args = parse_args([])
    assert (args.n, args.seed, args.seeds, args.cache_dir, args.no_demo, args.only) == (
        2000, 0, 5, None, False, None)
    args = parse_args(["--only", "boundary", "--only", "reliance", "--only", "held_out",
                       "--cache-dir", "/tmp/c", "--no-demo", "--n", "300"])
    assert args.only == ["boundary", "reliance", "held_out"]
    assert args.cache_dir == Path("/tmp/c")
    assert args.no_demo and args.n == 300


def test_an_unknown_part_is_refused() -> None:
    with pytest.raises(SystemExit):
        parse_args(["--only", "sentiment"])


def test_results_live_in_bench_results() -> None:
    assert RESULTS.parent.name == "results" and RESULTS.parent.parent.name == "bench"
    assert (RESULTS.name, LATEST.name) == ("lens.json", "latest.json")


def test_printout_of_boundary_and_reliance(capsys) -> None:
    doc = {
        "boundary": {"targets": "t", "demo_2000_seed7": {
            "precision": 1.0, "recall": 0.5, "n_true": 4, "n_flagged": 2},
            "sgd": {"eval": {"n_flagged_turns": 1, "n_turns": 200, "turn_rate": 0.005,
                             "conversation_rate": 0.01, "patterns": {"ai_not_a_role": 1}}}},
        "reliance": {"buckets": ["1"], "demo_2000_seed7": {
            "truth": {"1": 10, "2-3": 0}, "predicted": {"1": 9, "2-3": 0},
            "relative_error": {"1": 0.1, "2-3": None}}},
    }
    print_boundary_reliance(doc)
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "boundary demo_2000_seed7: precision 1.000 recall 0.500 (true 4, flagged 2)",
        'boundary sgd eval: 1/200 turns (0.5000%), conversations 1.0000%, patterns '
        '{"ai_not_a_role": 1}',
        'reliance demo_2000_seed7: truth {"1": 10, "2-3": 0} predicted {"1": 9, "2-3": 0} '
        'relative error {"1": 0.1, "2-3": null}']
