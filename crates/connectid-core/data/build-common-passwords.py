#!/usr/bin/env python3
"""Rebuilds common-passwords.txt.zz from the two source lists named in README.md.

Usage: build-common-passwords.py SECLISTS_100K_TXT PASSWORDS_CRATE_JSON OUT
Keeps what the policy could otherwise accept (6+ characters, at most 128 bytes), lowercased,
deduplicated and sorted (sorting helps deflate), then zlib-compressed at level 9.
"""
import json
import sys
import zlib

seclists, crate_json, out = sys.argv[1:4]
with open(seclists, encoding="utf-8") as f:
    words = [line.rstrip("\n") for line in f]
with open(crate_json, encoding="utf-8") as f:
    words += json.load(f)
keep = sorted(
    {w.lower() for w in words if len(w) >= 6 and len(w.encode()) <= 128 and "\n" not in w}
)
data = "\n".join(keep).encode()
with open(out, "wb") as f:
    f.write(zlib.compress(data, 9))
print(f"{len(keep)} passwords, {len(data)} bytes, {len(zlib.compress(data, 9))} compressed")
