"""The load test's writers (loadtest.clients): which observations each one edits."""

from __future__ import annotations

from loadtest.clients import assign_observations


def test_writers_get_disjoint_observations_and_share_a_few() -> None:
    own, shared = assign_observations(range(1, 166), writers=4, own=24, shared=8, seed=3)
    assert len(shared) == 8 and all(len(pks) == 24 for pks in own)
    assigned = [pk for pks in own for pk in pks]
    assert len(set(assigned)) == len(assigned)
    assert not set(assigned) & set(shared)
    assert assign_observations(range(1, 166), 4, 24, 8, seed=3) == (own, shared)
    small, common = assign_observations(range(1, 11), writers=4, own=24, shared=2, seed=1)
    assert [len(pks) for pks in small] == [2, 2, 2, 2] and len(common) == 2
