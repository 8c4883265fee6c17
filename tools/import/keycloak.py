#!/usr/bin/env python3
"""Converts a Keycloak realm export into connectid's import format (JSON Lines on stdout).

    kc.sh export --realm R --file realm.json        # on the Keycloak side (users go in the file)
    tools/import/keycloak.py realm.json > accounts.jsonl
    connectid accounts import accounts.jsonl --dry-run

A file is one realm (an object with "users"), a list of realms, or one of the files of
`kc.sh export --dir DIR --realm R` (R-realm.json, R-users-N.json); give them all:
`tools/import/keycloak.py DIR/*.json`. The admin console's "Partial export" has no users.

Each user becomes one line:
  sub          the Keycloak user id, so relying parties keep the subject they know
  external_id  the username
  emails       email, verified as emailVerified says
  phones       the first of the attributes phoneNumber, phone_number, mobile; verified when
               the attribute phoneNumberVerified or phone_number_verified is "true"
  created_at   createdTimestamp (milliseconds) as RFC 3339
  password_hash  from the "password" credential:
               pbkdf2-sha256, pbkdf2-sha512  $pbkdf2-sha256$i=N,l=LEN$<salt>$<hash> (PHC,
                                             base64 without padding)
               pbkdf2 (SHA-1)                $pbkdf2$N$<salt>$<hash> (passlib's form, ab64;
                                             the first 20 bytes of the hash, as passlib has)
               argon2 (id or i)              $argon2id$v=19$m=M,t=T,p=P$<salt>$<hash>
               Other algorithms are reported and the user is skipped.

Users without an email or phone number, and users whose credential cannot be converted, are
reported on stderr with the line of the file where they start, and skipped. Disabled users
and service accounts are reported and left out (--include-disabled converts disabled users).
Exit status: 0 when every user was converted or deliberately left out, 1 when some could not
be converted, 2 when the file cannot be read or is not a Keycloak export.
"""
import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in tools/import/
from connectid_import import (  # noqa: E402
    LeaveOut, Skip, argument_parser, array_elements, b64decode, convert_users,
    elements_of_member, fail, read_json, rfc3339_from_millis, skip_ws, summarize, with_lines)

PROG = "keycloak.py"

PHONE_ATTRIBUTES = ("phoneNumber", "phone_number", "mobile")
PHONE_VERIFIED_ATTRIBUTES = ("phoneNumberVerified", "phone_number_verified")
ARGON2_VERSIONS = {"1.3": 19, "1.0": 16, "19": 19, "16": 16}
ARGON2_TYPES = {"id": "argon2id", "i": "argon2i"}


# --- finding the users, with the line each starts on -----------------------------------------
def users_with_lines(s):
    """(line, user) for every user of the realm(s) in the JSON text s (already validated)."""
    i = skip_ws(s, 0)
    starts = []
    if s[i] == "{":
        starts = elements_of_member(s, i, "users")
    elif s[i] == "[":
        starts = (u for r in array_elements(s, i) if s[r] == "{"
                  for u in elements_of_member(s, r, "users"))
    return with_lines(s, starts)


# --- converting one user -----------------------------------------------------------------------
def b64_nopad(raw):
    return base64.b64encode(raw).decode().rstrip("=")


def ab64(raw):
    return b64_nopad(raw).replace("+", ".")


def first(value):
    """Keycloak keeps attributes and additionalParameters as lists of strings."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def json_field(credential, name):
    value = credential.get(name)
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise Skip(f"the password credential's {name} is not JSON")
    if not isinstance(value, dict):
        raise Skip(f"the password credential's {name} is not an object")
    return value


def password_hash(credential):
    secret = json_field(credential, "secretData")
    data = json_field(credential, "credentialData")
    if not secret and "hashedSaltedValue" in credential:  # exports of Keycloak before 11
        secret = {"value": credential["hashedSaltedValue"], "salt": credential.get("salt")}
        data = {"algorithm": credential.get("algorithm"),
                "hashIterations": credential.get("hashIterations")}
    algorithm = data.get("algorithm")
    if not secret.get("value") or not secret.get("salt"):
        raise Skip("the password credential has no value or salt")
    hashed = b64decode(secret["value"], "the password hash")
    salt = b64decode(secret["salt"], "the password salt")
    try:
        iterations = int(data.get("hashIterations"))
    except (TypeError, ValueError):
        raise Skip("the password credential has no hashIterations")

    if algorithm in ("pbkdf2-sha256", "pbkdf2-sha512"):
        return f"${algorithm}$i={iterations},l={len(hashed)}${b64_nopad(salt)}${b64_nopad(hashed)}"
    if algorithm == "pbkdf2":
        # Keycloak derives 64 bytes; passlib's form has the 20 of one SHA-1 block. PBKDF2's
        # first block does not depend on the length asked for, so the first 20 bytes are it.
        if len(hashed) < 20:
            raise Skip("the pbkdf2 (SHA-1) hash is shorter than 20 bytes")
        return f"$pbkdf2${iterations}${ab64(salt)}${ab64(hashed[:20])}"
    if algorithm == "argon2":
        params = data.get("additionalParameters") or {}
        kind = ARGON2_TYPES.get(first(params.get("type")) or "id")
        if kind is None:
            raise Skip(f"argon2 type {first(params.get('type'))!r} is not accepted (only id and i)")
        version = ARGON2_VERSIONS.get(first(params.get("version")) or "1.3")
        if version is None:
            raise Skip(f"unknown argon2 version {first(params.get('version'))!r}")
        try:
            memory = int(first(params.get("memory")))
            parallelism = int(first(params.get("parallelism")))
        except (TypeError, ValueError):
            raise Skip("argon2 parameters memory and parallelism are missing")
        return (f"${kind}$v={version}$m={memory},t={iterations},p={parallelism}"
                f"${b64_nopad(salt)}${b64_nopad(hashed)}")
    raise Skip(f"password algorithm {algorithm!r} is not accepted")


def convert(user, include_disabled):
    if not isinstance(user, dict):
        raise Skip("not an object")
    if user.get("serviceAccountClientId"):
        raise LeaveOut(f"service account of client {user['serviceAccountClientId']!r}")
    if user.get("enabled") is False and not include_disabled:
        raise LeaveOut("disabled in Keycloak (--include-disabled converts it)")
    if not user.get("id"):
        raise Skip("no id")

    attributes = user.get("attributes") or {}
    phone = next((first(attributes[a]) for a in PHONE_ATTRIBUTES if first(attributes.get(a))), None)
    phone_verified = any(str(first(attributes.get(a))).lower() == "true"
                         for a in PHONE_VERIFIED_ATTRIBUTES)
    email = user.get("email")
    if not email and not phone:
        raise Skip("no email or phone number")

    account = {"sub": user["id"]}
    if user.get("username"):
        account["external_id"] = user["username"]
    account["phones"] = [{"number": str(phone).strip(), "verified": phone_verified}] if phone else []
    account["emails"] = [{"address": email, "verified": bool(user.get("emailVerified"))}] if email else []
    passwords = [c for c in user.get("credentials") or [] if isinstance(c, dict) and c.get("type") == "password"]
    if passwords:
        account["password_hash"] = password_hash(passwords[0])
    created = user.get("createdTimestamp")
    if isinstance(created, (int, float)) and created > 0:
        account["created_at"] = rfc3339_from_millis(created)
    return account


def read(path):
    """The text of a realm export file, after checking it is one; exits 2 when it is not."""
    text, document = read_json(PROG, path)
    realms = document if isinstance(document, list) else [document]
    if not realms or not all(isinstance(r, dict) and ("realm" in r or "users" in r) for r in realms):
        fail(PROG, f"{path} is not a Keycloak realm export")
    users = [u for r in realms if isinstance(r.get("users"), list) for u in r["users"]]
    if users and not any(isinstance(u, dict) and "username" in u and "id" in u for u in users):
        fail(PROG, f"{path} is not a Keycloak realm export (no user has an id and a username)")
    return text, any(isinstance(r.get("users"), list) for r in realms)


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("files", nargs="+", metavar="REALM_EXPORT.json",
                        help="one or more export files (all those of `kc.sh export --dir` may be given)")
    parser.add_argument("--include-disabled", action="store_true",
                        help="also convert users disabled in Keycloak (they can sign in to connectid)")
    args = parser.parse_args()

    files = [(path, *read(path)) for path in args.files]
    if not any(has_users for _, _, has_users in files):
        fail(PROG, "no user list in " + ", ".join(args.files) + " (an export without users, "
                   "such as the admin console's partial export?)")

    users = ((path, line, user) for path, text, _ in files for line, user in users_with_lines(text))
    counts = convert_users(users, lambda user: convert(user, args.include_disabled),
                           who=lambda user: user.get("username") or user.get("id"))
    return summarize(PROG, counts)


if __name__ == "__main__":
    sys.exit(main())
