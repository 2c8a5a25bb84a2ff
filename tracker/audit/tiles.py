"""The tree as C2SP `tlog-tiles` hash tiles, so any web server or CDN can serve it and anyone can check it with no
software of ours: tile `tile/<L>/<N>[.p/<W>]` holds the hashes at tree level 8*L of the complete subtrees
N*256 .. N*256+W-1 (W = 256 for a full tile), 32 bytes each, concatenated. Level 0 holds the leaf hashes.

Read from the `merkle_tree` read model's stored hashes (merkle_leaves, merkle_nodes), which never change once
written: a full tile is immutable, and so is a partial tile of a given width (a prefix of its full tile). Entry
bundles are not served: the stored events carry metadata that must not be published (tracker.audit.export pages
them for auditors instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, select

from tracker.projections.merkle_tree import merkle_leaves, merkle_nodes, tree_size

HEIGHT = 8
WIDTH = 1 << HEIGHT  # hashes in a full tile
MAX_LEVEL = 63
_ELEMENT = re.compile(r"x[0-9]{3}|[0-9]{3}")  # ASCII digits only: one path per tile
_LEVEL = re.compile(r"0|[1-9][0-9]?")
_WIDTH = re.compile(r"[1-9][0-9]{0,2}")
MAX_ELEMENTS = 7  # indexes below 10**21: more than a tree of 2**64 leaves has tiles


class NoSuchTile(LookupError):
    """Not a tile path, or a tile the tree does not have (yet)."""


@dataclass(frozen=True)
class Tile:
    level: int
    index: int
    width: int  # WIDTH for a full tile

    @property
    def full(self) -> bool:
        return self.width == WIDTH

    @property
    def path(self) -> str:
        suffix = "" if self.full else f".p/{self.width}"
        return f"tile/{self.level}/{encode_index(self.index)}{suffix}"


def encode_index(index: int) -> str:
    """N as path elements of three digits, every one but the last prefixed with x: 1234067 -> x001/x234/067."""
    groups = []
    while True:
        groups.append(f"{index % 1000:03d}")
        index //= 1000
        if index == 0:
            break
    groups.reverse()
    return "/".join([f"x{group}" for group in groups[:-1]] + [groups[-1]])


def parse_tile(level: str, rest: str) -> Tile:
    """`<L>` and `<N>[.p/<W>]` of a tile path; NoSuchTile for anything else (leading zeros included)."""
    if not _LEVEL.fullmatch(level) or int(level) > MAX_LEVEL:
        raise NoSuchTile(level)
    width = WIDTH
    if ".p/" in rest:
        rest, _, partial = rest.partition(".p/")
        if not _WIDTH.fullmatch(partial) or int(partial) >= WIDTH:
            raise NoSuchTile(partial)
        width = int(partial)
    elements = rest.split("/")
    if len(elements) > MAX_ELEMENTS or not all(_ELEMENT.fullmatch(element) for element in elements):
        raise NoSuchTile(rest)
    if elements[-1].startswith("x") or any(not element.startswith("x") for element in elements[:-1]):
        raise NoSuchTile(rest)
    if len(elements) > 1 and elements[0] == "x000":
        raise NoSuchTile(rest)  # one encoding per index
    index = int("".join(element.removeprefix("x") for element in elements))
    return Tile(int(level), index, width)


def tile_bytes(conn: Connection, tile: Tile) -> bytes:
    """The tile's hashes; NoSuchTile when the tree does not have that many at its place yet."""
    level = HEIGHT * tile.level
    available = (tree_size(conn) >> level) - tile.index * WIDTH  # complete subtrees at that level in the tile's range
    if available < tile.width:
        raise NoSuchTile(tile.path)
    first, last = tile.index * WIDTH, tile.index * WIDTH + tile.width - 1
    if level == 0:
        leaves = merkle_leaves.c
        query = select(leaves.leaf_hash).where(leaves.leaf_index.between(first, last)).order_by(leaves.leaf_index)
    else:
        nodes = merkle_nodes.c
        query = (
            select(nodes.hash)
            .where(nodes.level == level, nodes.node_index.between(first, last))
            .order_by(nodes.node_index)
        )
    hashes = list(conn.execute(query).scalars())
    if len(hashes) != tile.width:  # the tree is being rebuilt
        raise NoSuchTile(tile.path)
    return b"".join(hashes)
