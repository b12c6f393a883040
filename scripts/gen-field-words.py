#!/usr/bin/env python3
"""Prints the little-endian 8-byte words the scanner's key matcher compares.

FieldNames.swift matches a JSON key by its length, then by one to three
unaligned 8-byte loads (head at 0, middle at 8, tail at n-8, overlapping when
n < 24; for n < 8 the head is masked to n bytes). Rerun this after adding a
field name and paste the constants; each constant carries its text.
Usage: scripts/gen-field-words.py NAME...
"""
import struct, sys

def word(b: bytes) -> int:
    return struct.unpack("<Q", b.ljust(8, b"\0"))[0]

for name in sys.argv[1:]:
    b = name.encode()
    n = len(b)
    parts = [("head", word(b[:8]))]
    if n > 8:
        if n > 16:
            parts.append(("mid", word(b[8:16])))
        parts.append(("tail", word(b[n - 8:])))
    print(f"{name} ({n}): " + ", ".join(f"{k} 0x{v:016X}" for k, v in parts))
