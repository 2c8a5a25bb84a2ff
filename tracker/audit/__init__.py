"""The verifiable log: its Merkle tree, signed checkpoints, proofs, witness, verification, export and import."""
