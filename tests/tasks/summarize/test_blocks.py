"""Row blocks: aligned, consecutive, never longer than asked."""

from __future__ import annotations

import numpy as np
import pytest

from tasks.summarize import Block, row_blocks
from tests.tasks.summarize.conftest import make_input


@pytest.mark.parametrize("n, rows, sizes", [(5, 2, [2, 2, 1]), (4, 4, [4]), (3, 10, [3]),
                                            (0, 3, [])])
def test_row_blocks_cover_every_row_once(n, rows, sizes):
    data = make_input([f"text {i}" for i in range(n)], [f"u{i}" for i in range(n)], list(range(n)))
    blocks = list(row_blocks(data, rows))
    assert [len(b.texts) for b in blocks] == sizes
    assert [t for b in blocks for t in b.texts] == data.texts
    joined = np.concatenate([b.labels for b in blocks], axis=1) if blocks else data.labels
    assert np.array_equal(joined, data.labels)


@pytest.mark.parametrize("field, value", [
    ("users", ["a"]), ("labels", np.zeros((2, 1), np.int32)),
    ("embeddings", np.zeros((1, 3))), ("languages", ["en"]), ("turns_bucket", ["1"]),
])
def test_a_block_with_misaligned_rows_is_refused(field, value):
    good = {"texts": ["a", "b"], "users": ["u", "v"], "labels": np.zeros((2, 2), np.int32),
            "embeddings": np.zeros((2, 3)), "languages": ["en", "en"],
            "turns_bucket": ["1", "1"]}
    with pytest.raises(ValueError, match="disagree"):
        Block(**{**good, field: value})
