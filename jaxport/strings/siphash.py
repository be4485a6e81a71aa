"""SipHash-2-4 (Aumasson and Bernstein, 2012), the keyed hash of `tf.strings.to_hash_bucket_strong`.

Written from the published algorithm; checked against TF's `to_hash_bucket_strong` in
parity_tests/cases_host_types.py.
"""

from __future__ import annotations

_MASK = (1 << 64) - 1


def _rotl(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK


def _rounds(v: list[int], count: int) -> None:
    for _ in range(count):
        v[0] = (v[0] + v[1]) & _MASK
        v[1] = _rotl(v[1], 13) ^ v[0]
        v[0] = _rotl(v[0], 32)
        v[2] = (v[2] + v[3]) & _MASK
        v[3] = _rotl(v[3], 16) ^ v[2]
        v[0] = (v[0] + v[3]) & _MASK
        v[3] = _rotl(v[3], 21) ^ v[0]
        v[2] = (v[2] + v[1]) & _MASK
        v[1] = _rotl(v[1], 17) ^ v[2]
        v[2] = _rotl(v[2], 32)


def siphash24(key0: int, key1: int, data: bytes) -> int:
    """SipHash-2-4 of `data` under the 128-bit key (key0, key1), an unsigned 64-bit int."""
    v = [
        key0 ^ 0x736F6D6570736575,
        key1 ^ 0x646F72616E646F6D,
        key0 ^ 0x6C7967656E657261,
        key1 ^ 0x7465646279746573,
    ]
    whole = len(data) - len(data) % 8
    for at in range(0, whole, 8):
        block = int.from_bytes(data[at : at + 8], "little")
        v[3] ^= block
        _rounds(v, 2)
        v[0] ^= block
    last = int.from_bytes(data[whole:], "little") | ((len(data) & 0xFF) << 56)
    v[3] ^= last
    _rounds(v, 2)
    v[0] ^= last
    v[2] ^= 0xFF
    _rounds(v, 4)
    return v[0] ^ v[1] ^ v[2] ^ v[3]
