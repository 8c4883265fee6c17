#!/usr/bin/env python3
"""Converts a Firebase Authentication export into connectid's import format (JSON Lines on stdout).

    firebase auth:export users.json --format=json --project PROJECT   # on the Firebase side
    tools/import/firebase.py users.json > accounts.jsonl
    connectid accounts import accounts.jsonl --dry-run

Each user of "users" becomes one line:
  external_id    localId
  sub            localId too, with --keep-sub; by default connectid gives each account a new one
  emails         email, verified as emailVerified says
  phones         phoneNumber, verified (Firebase only keeps phone numbers it has checked by
                 SMS or that your admin code set)
  created_at     createdAt (milliseconds) as RFC 3339
  password_hash  $firebase-scrypt$<salt>$<passwordHash> (both standard base64) when the user
                 has a password

Firebase hashes every password with its own scrypt variant and per-project parameters. Copy
them from the Firebase console (Authentication, Users, the menu at the top right of the user
table, "Password hash parameters") into connectid's configuration:

    [import.firebase]
    signer_key = "..."        # base64_signer_key
    salt_separator = "Bw=="   # base64_salt_separator
    rounds = 8
    mem_cost = 14

Users without an email or phone number are reported on stderr with their line and skipped.
Disabled users are reported and left out (--include-disabled converts them). Exit status: 0
when every user was converted or deliberately left out, 1 when some could not be converted,
2 when the file cannot be read or is not a Firebase export.
"""
import argparse
import base64
import binascii
import json
import re
import sys
from datetime import datetime, timezone

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
REMINDER = ("firebase.py: put the project's password hash parameters (Firebase console: "
            "Authentication > Users > \u22ee > Password hash parameters) in connectid's "
            "[import.firebase]: signer_key, salt_separator, rounds, mem_cost")


class Skip(Exception):
    """A user that cannot be converted (counted as an error)."""


class LeaveOut(Exception):
    """A user that is deliberately not converted."""


def fail(message):
    print(f"firebase.py: {message}", file=sys.stderr)
    sys.exit(2)


def users_with_lines(s):
    """(line, user) of the "users" array of the JSON object in s (already validated)."""
    i = _WS.match(s, 0).end() + 1
    line, pos = 1, 0
    while True:
        i = _WS.match(s, i).end()
        if s[i] == "}":
            return
        key, i = _DECODER.raw_decode(s, i)
        i = _WS.match(s, _WS.match(s, i).end() + 1).end()
        if key == "users" and s[i] == "[":
            i = _WS.match(s, i + 1).end()
            while s[i] != "]":
                line, pos = line + s.count("\n", pos, i), i
                user, i = _DECODER.raw_decode(s, i)
                yield line, user
                i = _WS.match(s, i).end()
                if s[i] == ",":
                    i = _WS.match(s, i + 1).end()
            i += 1
        else:
            _, i = _DECODER.raw_decode(s, i)
        i = _WS.match(s, i).end()
        if s[i] == ",":
            i += 1


def standard_b64(value, what):
    """Firebase's base64 (standard, or the web-safe form of its API) as standard base64."""
    try:
        raw = base64.b64decode(value.replace("-", "+").replace("_", "/") + "=" * (-len(value) % 4),
                               validate=True)
    except (binascii.Error, AttributeError, ValueError):
        raise Skip(f"{what} is not base64")
    return base64.b64encode(raw).decode()


def convert(user, keep_sub, include_disabled):
    if not isinstance(user, dict):
        raise Skip("not a JSON object")
    if not user.get("localId"):
        raise Skip("no localId")
    if user.get("disabled") and not include_disabled:
        raise LeaveOut("disabled in Firebase (--include-disabled converts it)")
    email, phone = user.get("email"), user.get("phoneNumber")
    if not email and not phone:
        raise Skip("no email or phone number")

    account = {}
    if keep_sub:
        account["sub"] = user["localId"]
    account["external_id"] = user["localId"]
    account["phones"] = [{"number": phone, "verified": True}] if phone else []
    account["emails"] = [{"address": email, "verified": bool(user.get("emailVerified"))}] if email else []
    if user.get("passwordHash"):
        if not user.get("salt"):
            raise Skip("passwordHash without salt")
        account["password_hash"] = "$firebase-scrypt${}${}".format(
            standard_b64(user["salt"], "salt"), standard_b64(user["passwordHash"], "passwordHash"))
    try:
        created = int(user.get("createdAt"))
        account["created_at"] = datetime.fromtimestamp(created // 1000, timezone.utc) \
            .strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError, OverflowError, OSError):
        pass
    return account


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", metavar="USERS.json")
    parser.add_argument("--keep-sub", action="store_true",
                        help="use the Firebase localId as the account's sub")
    parser.add_argument("--include-disabled", action="store_true",
                        help="also convert users disabled in Firebase (they can sign in to connectid)")
    args = parser.parse_args()

    try:
        with open(args.file, encoding="utf-8-sig") as f:
            text = f.read()
        document = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        fail(f"cannot read {args.file}: {e}")
    if not isinstance(document, dict) or not isinstance(document.get("users"), list):
        fail(f"{args.file} is not a Firebase auth:export JSON file (no \"users\" list)")
    users = document["users"]
    if users and not any(isinstance(u, dict) and "localId" in u for u in users):
        fail(f"{args.file} is not a Firebase auth:export JSON file (no user has a localId)")

    print(REMINDER, file=sys.stderr)
    converted = skipped = left_out = 0
    for line, user in users_with_lines(text):
        who = user.get("localId") if isinstance(user, dict) else None
        try:
            account = convert(user, args.keep_sub, args.include_disabled)
        except Skip as e:
            skipped += 1
            print(f"{args.file}:{line}: user {who!r} skipped: {e}", file=sys.stderr)
            continue
        except LeaveOut as e:
            left_out += 1
            print(f"{args.file}:{line}: user {who!r} left out: {e}", file=sys.stderr)
            continue
        sys.stdout.write(json.dumps(account, ensure_ascii=False) + "\n")
        converted += 1
    print(f"firebase.py: {converted} converted, {skipped} skipped, {left_out} left out",
          file=sys.stderr)
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
