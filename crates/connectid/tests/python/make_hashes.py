#!/usr/bin/env python3
"""Makes password hashes of the forms `connectid accounts import` accepts, for the tests.

Reads a JSON array from stdin, [{"scheme": S, "password": P, "salt"?: B64, ...}], and writes
a JSON array of hash strings, in the same order, to stdout.

Schemes (costs are low to keep tests fast):

    bcrypt, bcrypt-2a, bcrypt-2y        $2b$04$... (the other two rewrite the prefix, as PHP writes it)
    argon2id, argon2i                   t=1, m=1024 KiB, p=1, 32-byte hash
    scrypt                              passlib's $scrypt$ln=4,r=8,p=1$...
    pbkdf2-sha1, -sha256, -sha512       passlib's $pbkdf2[-shaN]$1000$<ab64 salt>$<ab64 hash>
    pbkdf2-sha256-phc, -sha512-phc      $pbkdf2-sha256$i=1000,l=32$<b64 salt>$<b64 hash> (l=64 for sha512)
    firebase-scrypt                     $firebase-scrypt$<b64 salt>$<b64 hash>

"salt" is optional, the raw salt bytes in standard base64; with it the output is the same
every run (bcrypt: exactly 16 bytes; argon2: 8 bytes or more). Without it a random 16-byte
salt is used. firebase-scrypt also takes "signer_key" and "salt_separator" (base64),
"rounds" and "mem_cost"; by default those are the sample parameters that Firebase
publishes (github.com/firebase/scrypt, README), which are also the test configuration's
[import.firebase].

Needs the packages of requirements.txt next to this file.
"""
import base64
import hashlib
import json
import os
import sys

import argon2.low_level
import bcrypt
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from passlib import hash as passlib_hash

FIREBASE_SAMPLE = {
    "signer_key": "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==",
    "salt_separator": "Bw==",
    "rounds": 8,
    "mem_cost": 14,
}

B64_STD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
B64_BCRYPT = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def b64_nopad(raw):
    return base64.b64encode(raw).decode().rstrip("=")


def firebase_scrypt(password, salt, signer_key, salt_separator, rounds, mem_cost):
    """Firebase's modified scrypt: the signer key encrypted with AES-256-CTR (zero IV) under
    the first 32 bytes of scrypt(password, salt + separator, N=2^mem_cost, r=rounds, p=1)."""
    n = 1 << mem_cost
    derived = hashlib.scrypt(
        password, salt=salt + salt_separator, n=n, r=rounds, p=1, dklen=64,
        maxmem=256 * rounds * (n + 3) + (1 << 20),
    )
    encryptor = Cipher(algorithms.AES(derived[:32]), modes.CTR(bytes(16))).encryptor()
    return encryptor.update(signer_key) + encryptor.finalize()


def make(item):
    scheme = item["scheme"]
    password = item["password"].encode()
    salt = base64.b64decode(item["salt"]) if "salt" in item else os.urandom(16)

    if scheme in ("bcrypt", "bcrypt-2a", "bcrypt-2y"):
        if len(salt) != 16:
            raise ValueError("a bcrypt salt is 16 bytes")
        encoded = base64.b64encode(salt).rstrip(b"=").translate(bytes.maketrans(B64_STD, B64_BCRYPT))
        hashed = bcrypt.hashpw(password, b"$2b$04$" + encoded).decode()
        return {"bcrypt": "$2b$", "bcrypt-2a": "$2a$", "bcrypt-2y": "$2y$"}[scheme] + hashed[4:]
    if scheme in ("argon2id", "argon2i"):
        kind = argon2.low_level.Type.ID if scheme == "argon2id" else argon2.low_level.Type.I
        return argon2.low_level.hash_secret(
            password, salt, time_cost=1, memory_cost=1024, parallelism=1, hash_len=32, type=kind
        ).decode()
    if scheme == "scrypt":
        return passlib_hash.scrypt.using(rounds=4, salt=salt).hash(password)
    if scheme in ("pbkdf2-sha1", "pbkdf2-sha256", "pbkdf2-sha512"):
        handler = getattr(passlib_hash, scheme.replace("-", "_"))
        return handler.using(rounds=1000, salt=salt).hash(password)
    if scheme in ("pbkdf2-sha256-phc", "pbkdf2-sha512-phc"):
        digest = scheme.split("-")[1]
        length = 32 if digest == "sha256" else 64
        derived = hashlib.pbkdf2_hmac(digest, password, salt, 1000, length)
        return f"$pbkdf2-{digest}$i=1000,l={length}${b64_nopad(salt)}${b64_nopad(derived)}"
    if scheme == "firebase-scrypt":
        p = {**FIREBASE_SAMPLE, **{k: item[k] for k in FIREBASE_SAMPLE if k in item}}
        derived = firebase_scrypt(
            password, salt, base64.b64decode(p["signer_key"]),
            base64.b64decode(p["salt_separator"]), int(p["rounds"]), int(p["mem_cost"]),
        )
        return "$firebase-scrypt${}${}".format(
            base64.b64encode(salt).decode(), base64.b64encode(derived).decode()
        )
    raise ValueError(f"unknown scheme {scheme!r}")


def main():
    items = json.load(sys.stdin)
    json.dump([make(item) for item in items], sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
