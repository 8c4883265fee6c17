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
import base64
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in tools/import/
from connectid_import import (  # noqa: E402
    LeaveOut, Skip, argument_parser, b64decode, convert_users, elements_of_member, fail, note,
    read_json, rfc3339_from_millis, skip_ws, summarize, with_lines)

PROG = "firebase.py"

REMINDER = ("put the project's password hash parameters (Firebase console: Authentication > "
            "Users > \u22ee > Password hash parameters) in connectid's [import.firebase]: "
            "signer_key, salt_separator, rounds, mem_cost")


def users_with_lines(s):
    """(line, user) of the "users" array of the JSON object in s (already validated)."""
    return with_lines(s, elements_of_member(s, skip_ws(s, 0), "users"))


def standard_b64(value, what):
    """Firebase's base64 (standard, or the web-safe form of its API) as standard base64."""
    return base64.b64encode(b64decode(value, what, websafe=True)).decode()


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
        account["created_at"] = rfc3339_from_millis(int(user.get("createdAt")))
    except (TypeError, ValueError, OverflowError, OSError):
        pass
    return account


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("file", metavar="USERS.json")
    parser.add_argument("--keep-sub", action="store_true",
                        help="use the Firebase localId as the account's sub")
    parser.add_argument("--include-disabled", action="store_true",
                        help="also convert users disabled in Firebase (they can sign in to connectid)")
    args = parser.parse_args()

    text, document = read_json(PROG, args.file)
    if not isinstance(document, dict) or not isinstance(document.get("users"), list):
        fail(PROG, f"{args.file} is not a Firebase auth:export JSON file (no \"users\" list)")
    users = document["users"]
    if users and not any(isinstance(u, dict) and "localId" in u for u in users):
        fail(PROG, f"{args.file} is not a Firebase auth:export JSON file (no user has a localId)")

    note(PROG, REMINDER)
    counts = convert_users(((args.file, line, user) for line, user in users_with_lines(text)),
                           lambda user: convert(user, args.keep_sub, args.include_disabled),
                           who=lambda user: user.get("localId"))
    return summarize(PROG, counts)


if __name__ == "__main__":
    sys.exit(main())
