"""Rules 1 and 2 on one partition: k-1 / k / k+1 tables for a key and for the remainder."""

from __future__ import annotations

import numpy as np
import pytest

from chorus.core.settings import PrivacySettings
from tasks.release import split_partition

pytestmark = pytest.mark.privacy

K = 5
PRIVACY = PrivacySettings(min_users=K, min_conversations=K)


def test_split_partition_folds_until_remainder_meets():
    keys = np.array([0] * 10 + [1] * 5 + [2] * 1)
    users = np.array([f"u{i}" for i in range(16)])
    split = split_partition(keys, users, PRIVACY)
    assert split.published == [0]
    assert split.other == (6, 6)


@pytest.mark.parametrize("n_users, published", [(K - 1, False), (K, True), (K + 1, True)])
def test_a_key_needs_k_distinct_users(n_users, published):
    users = np.array([f"u{i}" for i in range(n_users)] * 3)  # 3 conversations each
    split = split_partition(np.zeros(users.size, dtype=np.int32), users, PRIVACY)
    assert (split.published == [0]) is published
    assert split.sizes[0] == (3 * n_users, n_users)
    assert split.other is None                # nothing left over, or too small to show
    assert split.n_suppressed == (0 if published else 1)


@pytest.mark.parametrize("rest_users, published, other", [
    (K - 1, [], (3 * K + K - 1, 3 * K + K - 1)),  # the big key is folded in too
    (K, [0], (K, K)),
    (K + 1, [0], (K + 1, K + 1)),
])
def test_the_remainder_is_shown_only_when_it_meets_k(rest_users, published, other):
    # key 0: 3k users; keys 1..rest_users: one user each (each below k)
    keys = np.array([0] * 3 * K + list(range(1, rest_users + 1)))
    users = np.array([f"u{i}" for i in range(keys.size)])
    split = split_partition(keys, users, PRIVACY)
    assert split.published == published
    assert split.other == other
    assert split.n_suppressed == rest_users + 1 - len(published)


@pytest.mark.parametrize("min_users, min_conv", [(1, 5), (5, 1), (5, 4)])
def test_invalid_thresholds_fail_loudly(min_users, min_conv):
    with pytest.raises(ValueError):
        PrivacySettings(min_users=min_users, min_conversations=min_conv)
