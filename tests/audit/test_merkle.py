"""RFC 6962 / 9162 conformance: the reference roots, transparency-dev's proof vectors, and properties up to
2,000 leaves (every proof verifies; every mutation of it fails)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.audit.merkle import (
    EMPTY_ROOT,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "rfc6962"
REFERENCE_LEAVES = [
    bytes.fromhex(h)
    for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f")
]
REFERENCE_ROOTS = {
    0: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}


def path_length(index, size):
    return len(inclusion_proof(index, size, lambda start, end: b"\x00" * 32))


def subtree_of(leaves):
    return lambda start, end: root_of(leaves[start:end])


@pytest.mark.parametrize("size", range(9))
def test_the_rfc_6962_reference_roots(size):
    assert root_of([leaf_hash(leaf) for leaf in REFERENCE_LEAVES[:size]]).hex() == REFERENCE_ROOTS[size]
    assert EMPTY_ROOT.hex() == REFERENCE_ROOTS[0]


def _cases(kind):
    return sorted(VECTORS.joinpath(kind).rglob("*.json"))


def _b64(value):
    return base64.b64decode(value) if value else b""


@pytest.mark.parametrize("case", _cases("inclusion"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_transparency_dev_inclusion_vectors(case):
    data = json.loads(case.read_text())
    proof = [_b64(h) for h in data["proof"] or []]
    arguments = (data["leafIdx"], data["treeSize"], _b64(data["leafHash"]), proof, _b64(data["root"]))
    if data["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*arguments)
    else:
        verify_inclusion(*arguments)


@pytest.mark.parametrize("case", _cases("consistency"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_transparency_dev_consistency_vectors(case):
    data = json.loads(case.read_text())
    proof = [_b64(h) for h in data["proof"] or []]
    arguments = (data["size1"], data["size2"], _b64(data["root1"]), _b64(data["root2"]), proof)
    if data["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*arguments)
    else:
        verify_consistency(*arguments)


def test_there_are_196_vectors():
    assert len(_cases("inclusion")) + len(_cases("consistency")) == 196


trees = st.integers(min_value=1, max_value=2000).flatmap(
    lambda n: st.tuples(st.just([leaf_hash(i.to_bytes(4, "big")) for i in range(n)]), st.integers(0, n - 1))
)


def mutations(proof):
    for i in range(len(proof)):
        flipped = bytearray(proof[i])
        flipped[i % 32] ^= 1 << (i % 8)
        yield [*proof[:i], bytes(flipped), *proof[i + 1 :]]
        yield proof[:i] + proof[i + 1 :]
    yield [*proof, proof[-1] if proof else b"\x00" * 32]
    if len(proof) > 1:
        yield [proof[1], proof[0], *proof[2:]]


@settings(max_examples=150, deadline=None)
@given(trees)
def test_every_inclusion_proof_verifies_and_every_mutation_fails(tree):
    leaves, index = tree
    size, root = len(leaves), root_of(leaves)
    proof = inclusion_proof(index, size, subtree_of(leaves))
    verify_inclusion(index, size, leaves[index], proof, root)
    for mutated in mutations(proof):
        with pytest.raises(ProofError):
            verify_inclusion(index, size, leaves[index], mutated, root)
    if index + 1 < size:
        with pytest.raises(ProofError):
            verify_inclusion(index + 1, size, leaves[index], proof, root)
    # A size whose path has another shape fails. (A size with the same shape cannot be told from the proof alone:
    # the verifier takes the size, with the root, from a signed checkpoint, never from whoever sends the proof.)
    for wrong_size in (size - 1, size + 1, size * 2 + 1):
        if index < wrong_size and path_length(index, wrong_size) != len(proof):
            with pytest.raises(ProofError):
                verify_inclusion(index, wrong_size, leaves[index], proof, root)


@settings(max_examples=150, deadline=None)
@given(trees)
def test_every_consistency_proof_verifies_and_every_mutation_fails(tree):
    leaves, old = tree
    old_size, size = old + 1, len(leaves)
    old_root, root = root_of(leaves[:old_size]), root_of(leaves)
    proof = consistency_proof(old_size, size, subtree_of(leaves))
    verify_consistency(old_size, size, old_root, root, proof)
    if old_size == size:
        return
    for mutated in mutations(proof):
        with pytest.raises(ProofError):
            verify_consistency(old_size, size, old_root, root, mutated)
    with pytest.raises(ProofError):
        verify_consistency(old_size, size, root, old_root, proof)
