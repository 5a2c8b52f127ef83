"""Deterministic variant choice: the same lead and test always get the same variant.

sha256("<scope>:<lead id>") maps the lead onto [0, total weight); the variants, ordered by id,
own consecutive slices of that range in proportion to their weights. A retry, a second worker or
a re-run picks the same variant; changing weights mid-test moves only the leads in the moved slice.
"""

import hashlib
from collections.abc import Sequence


def bucket(*, scope: str, lead_id: int, total: int) -> int:
    digest = hashlib.sha256(f"{scope}:{lead_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % total


def variant_choose(*, variants: Sequence, lead_id: int, scope: str):
    """The variant (of `variants`, objects with `.id` and `.weight`) for `lead_id` within `scope`; None if none."""
    weighted = sorted((v for v in variants if v.weight > 0), key=lambda v: v.id)
    if not weighted:
        return None
    point = bucket(scope=scope, lead_id=lead_id, total=sum(v.weight for v in weighted))
    for variant in weighted:
        if point < variant.weight:
            return variant
        point -= variant.weight
    raise AssertionError("unreachable: the point lies within the total weight")
