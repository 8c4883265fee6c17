#!/usr/bin/env python3
"""Converts an Auth0 user export into connectid's import format (JSON Lines on stdout).

    tools/import/auth0.py users.json [--hashes password-hashes.json] > accounts.jsonl
    connectid accounts import accounts.jsonl --dry-run

The input is newline-delimited JSON, one user a line, as Auth0's export job writes it
(POST /api/v2/jobs/users-exports with "format": "json"), or a JSON array of users (as the
Management API's GET /api/v2/users returns them). Fields read: user_id, email,
email_verified, phone_number, phone_verified, created_at, blocked, and passwordHash (bcrypt).

Auth0 does not put password hashes in its exports; its support sends them on request, as
newline-delimited JSON with _id ({"$oid": ...}), alt_id, email, email_verified and
passwordHash. That file can be converted on its own (user_id is then "auth0|" + alt_id, or
"auth0|" + the $oid), or given as --hashes to add the hashes to the export job's users,
matched by user_id.

Each user becomes one line:
  external_id    user_id (e.g. "auth0|5dea9f9c82dd7c0e76e4ec93")
  sub            user_id too, with --keep-sub (so relying parties keep the subject they
                 know); by default connectid gives each account a new one
  emails         email, verified as email_verified says
  phones         phone_number, verified as phone_verified says
  created_at     created_at, as RFC 3339 to the second
  password_hash  passwordHash, when it is bcrypt ($2a$, $2b$, $2y$)

Users without an email or phone number, or with a password hash that is not bcrypt, are
reported on stderr with their line and skipped. Blocked users are reported and left out
(--include-disabled converts them). Exit status: 0 when every user was converted or
deliberately left out, 1 when some could not be converted, 2 when the file cannot be read or
is not an Auth0 user export.
"""
import json
import os
import re
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in tools/import/
from connectid_import import (  # noqa: E402
    LeaveOut, Skip, argument_parser, array_elements, convert_users, fail, note, parse_json,
    read_text, rfc3339, skip_ws, summarize, with_lines)

PROG = "auth0.py"

BCRYPT = re.compile(r"^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$")
NOT_JSON = object()


def records(path):
    """(line, record) of a NDJSON file or a JSON array; NOT_JSON for a line that is not JSON."""
    text = read_text(PROG, path)
    if text.lstrip().startswith("["):
        parse_json(PROG, path, text)
        out = list(with_lines(text, array_elements(text, skip_ws(text, 0))))
    else:
        out = []
        for n, raw in enumerate(text.split("\n"), 1):
            if raw.strip():
                try:
                    out.append((n, json.loads(raw)))
                except ValueError:
                    out.append((n, NOT_JSON))
    if not any(isinstance(r, dict) and (r.get("user_id") or r.get("_id")) for _, r in out):
        fail(PROG, f"{path} is not an Auth0 user export (no user with user_id or _id)")
    return out


def user_id(record):
    if record.get("user_id"):
        return str(record["user_id"])
    oid = record.get("_id")
    if isinstance(oid, dict):
        oid = oid.get("$oid")
    if record.get("alt_id") or oid:
        return "auth0|" + str(record.get("alt_id") or oid)
    return None


def identifier(record, kinds):
    for ident in record.get("identifiers") or []:
        if isinstance(ident, dict) and ident.get("type") in kinds and ident.get("value"):
            return ident["value"], bool(ident.get("verified"))
    return None, False


def created_at(value):
    """An Auth0 time (ISO 8601, or {"$date": ...}) as RFC 3339; None when it is not one."""
    if isinstance(value, dict):
        value = value.get("$date")
    if not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return rfc3339(t)


def convert(record, keep_sub, include_disabled, hashes):
    if record is NOT_JSON:
        raise Skip("not JSON")
    if not isinstance(record, dict):
        raise Skip("not a JSON object")
    uid = user_id(record)
    if not uid:
        raise Skip("no user_id or _id")
    if record.get("blocked") and not include_disabled:
        raise LeaveOut("blocked in Auth0 (--include-disabled converts it)")

    email, email_verified = record.get("email"), bool(record.get("email_verified"))
    if not email:
        email, email_verified = identifier(record, ("email",))
    phone, phone_verified = record.get("phone_number"), bool(record.get("phone_verified"))
    if not phone:
        phone, phone_verified = identifier(record, ("phone_number", "phone"))
    if not email and not phone:
        raise Skip("no email or phone number")

    account = {}
    if keep_sub:
        account["sub"] = uid
    account["external_id"] = uid
    account["phones"] = [{"number": phone, "verified": phone_verified}] if phone else []
    account["emails"] = [{"address": email, "verified": email_verified}] if email else []
    password_hash = record.get("passwordHash") or hashes.get(uid)
    if password_hash:
        if not BCRYPT.match(password_hash):
            raise Skip("passwordHash is not a bcrypt hash")
        account["password_hash"] = password_hash
    created = created_at(record.get("created_at"))
    if created:
        account["created_at"] = created
    return account


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("file", metavar="USERS.json|USERS.ndjson")
    parser.add_argument("--hashes", metavar="FILE",
                        help="Auth0's password hash export, to add the hashes by user_id")
    parser.add_argument("--keep-sub", action="store_true",
                        help="use the Auth0 user_id as the account's sub")
    parser.add_argument("--include-disabled", action="store_true",
                        help="also convert users blocked in Auth0 (they can sign in to connectid)")
    args = parser.parse_args()

    hashes = {}
    if args.hashes:
        for line, record in records(args.hashes):
            if isinstance(record, dict) and record.get("passwordHash") and user_id(record):
                hashes[user_id(record)] = record["passwordHash"]
    users = records(args.file)

    used = set()  # the user_id of every converted user

    def convert_and_note(record):
        account = convert(record, args.keep_sub, args.include_disabled, hashes)
        used.add(user_id(record))
        return account

    counts = convert_users(((args.file, line, record) for line, record in users),
                           convert_and_note, who=user_id)
    unmatched = len(set(hashes) - used)
    if unmatched:
        note(PROG, f"{unmatched} password hashes of {args.hashes} belong to no converted user")
    return summarize(PROG, counts)


if __name__ == "__main__":
    sys.exit(main())
