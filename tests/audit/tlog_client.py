"""A tlog-tiles client written from the C2SP specifications alone (tlog-tiles, tlog-checkpoint, signed-note and
RFC 6962/9162), importing nothing of the server's: it reads a checkpoint, checks its Ed25519 signature, fetches hash
tiles, recomputes the tree's root at any size up to the checkpoint's, and builds and checks inclusion proofs."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

TILE_HEIGHT = 8
TILE_WIDTH = 256


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def tile_path(level: int, index: int, width: int) -> str:
    """tile/<L>/<N>[.p/<W>], N in three-digit elements, all but the last prefixed with x."""
    digits = f"{index:d}"
    digits = digits.zfill(-(-len(digits) // 3) * 3)
    elements = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    encoded = "/".join([f"x{element}" for element in elements[:-1]] + [elements[-1]])
    return f"tile/{level}/{encoded}" + ("" if width == TILE_WIDTH else f".p/{width}")


def open_checkpoint(note: str, vkey: str) -> tuple[str, int, bytes]:
    """A signed note's checkpoint (origin, size, root hash), its signature checked with the verifier key
    `name+hex key id+base64(0x01 || Ed25519 public key)`."""
    name, key_id, encoded = vkey.split("+", 2)  # base64 may hold a + too
    raw = base64.b64decode(encoded)
    assert raw[0] == 1 and hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex() == key_id
    body, _, signatures = note.partition("\n\n")
    body += "\n"
    for line in signatures.splitlines():
        signer, _, blob = line.removeprefix("\u2014 ").partition(" ")
        signature = base64.b64decode(blob)
        if signer == name and signature[:4].hex() == key_id:
            Ed25519PublicKey.from_public_bytes(raw[1:]).verify(signature[4:], body.encode())
            origin, size, root = body.splitlines()[:3]
            return origin, int(size), base64.b64decode(root)
    raise AssertionError("no signature by the key")


class TiledTree:
    """The hashes of a tree of `size` leaves, read from tiles fetched with `get(path) -> bytes`."""

    def __init__(self, size: int, get: Callable[[str], bytes]) -> None:
        self.size, self.get, self.tiles = size, get, {}

    def _stored(self, level: int, index: int) -> bytes:
        """A hash at a tile level (tree level 8*level), from the full tile if the tree has it, else the partial."""
        tile = index // TILE_WIDTH
        complete = self.size >> (TILE_HEIGHT * level)
        width = min(TILE_WIDTH, complete - tile * TILE_WIDTH)
        assert width > index % TILE_WIDTH, "the tree has no such hash"
        key = (level, tile, width)
        if key not in self.tiles:
            body = self.get(tile_path(level, tile, width))
            assert len(body) == 32 * width
            self.tiles[key] = body
        offset = (index % TILE_WIDTH) * 32
        return self.tiles[key][offset : offset + 32]

    def subtree(self, height: int, index: int) -> bytes:
        """The hash of the complete subtree of 2**height leaves starting at index * 2**height."""
        level, rest = divmod(height, TILE_HEIGHT)
        if rest == 0:
            return self._stored(level, index)
        width = 1 << rest
        hashes = [self._stored(level, index * width + i) for i in range(width)]
        while len(hashes) > 1:
            hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        return hashes[0]

    def mth(self, start: int, end: int) -> bytes:
        """RFC 6962 MTH of leaves [start, end)."""
        n = end - start
        if n == 0:
            return hashlib.sha256(b"").digest()
        if n & (n - 1) == 0 and start % n == 0:
            return self.subtree(n.bit_length() - 1, start // n)
        k = 1 << ((n - 1).bit_length() - 1)  # the largest power of two smaller than n
        return node_hash(self.mth(start, start + k), self.mth(start + k, end))

    def root(self, size: int) -> bytes:
        assert size <= self.size
        return self.mth(0, size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """RFC 6962 PATH(m, D[0:n]), bottom to top."""

        def path(m: int, start: int, end: int) -> list[bytes]:
            n = end - start
            if n == 1:
                return []
            k = 1 << ((n - 1).bit_length() - 1)
            if m < k:
                return [*path(m, start, start + k), self.mth(start + k, end)]
            return [*path(m - k, start + k, end), self.mth(start, start + k)]

        return path(index, 0, size)


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root
