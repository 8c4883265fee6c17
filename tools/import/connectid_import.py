"""What the converters of tools/import/ share (keycloak.py, auth0.py, firebase.py).

Each converter reads another system's user export and writes connectid's import format,
one account a JSON line on stdout. Users it cannot convert (Skip) or deliberately does not
(LeaveOut) are reported on stderr as FILE:LINE, then a summary "N converted, M skipped,
K left out". Exit status: 0, 1 when some user was skipped, 2 (fail) when a file cannot be
read or is not an export of the expected kind.

`prog` is the converter's name ("keycloak.py"), which starts its own messages.
"""
import argparse
import base64
import binascii
import json
import re
import sys
from collections import namedtuple
from datetime import datetime, timezone


class Skip(Exception):
    """A user that cannot be converted (counted as an error)."""


class LeaveOut(Exception):
    """A user that is deliberately not converted."""


# --- command line, messages and files ----------------------------------------------------------
def argument_parser(doc):
    """The converter's parser, with its module docstring `doc` as the --help text."""
    return argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)


def note(prog, message):
    print(f"{prog}: {message}", file=sys.stderr)


def fail(prog, message):
    """Reports that the input cannot be converted at all, and exits 2."""
    note(prog, message)
    sys.exit(2)


def read_text(prog, path):
    """The text of the file at path (UTF-8, with or without a BOM); exits 2 when unreadable."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        fail(prog, f"cannot read {path}: {e}")


def parse_json(prog, path, text):
    """The JSON document text (read from path); exits 2 when it is not JSON."""
    try:
        return json.loads(text)
    except ValueError as e:
        fail(prog, f"cannot read {path}: {e}")


def read_json(prog, path):
    """(text, document) of the JSON file at path; exits 2 when it is unreadable or not JSON."""
    text = read_text(prog, path)
    return text, parse_json(prog, path, text)


# --- finding values in JSON text, with the line each starts on ---------------------------------
# These scan text that json.loads has already accepted, so they do not check its syntax.
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def skip_ws(s, i):
    return _WS.match(s, i).end()


def array_elements(s, i):
    """Start offsets of the elements of the JSON array at s[i] ('[')."""
    i = skip_ws(s, i + 1)
    if s[i] == "]":
        return
    while True:
        yield i
        _, i = _DECODER.raw_decode(s, i)
        i = skip_ws(s, i)
        if s[i] == "]":
            return
        i = skip_ws(s, i + 1)


def object_members(s, i):
    """(key, value offset) of the members of the JSON object at s[i] ('{')."""
    i = skip_ws(s, i + 1)
    if s[i] == "}":
        return
    while True:
        key, i = _DECODER.raw_decode(s, i)
        i = skip_ws(s, skip_ws(s, i) + 1)
        yield key, i
        _, i = _DECODER.raw_decode(s, i)
        i = skip_ws(s, i)
        if s[i] == "}":
            return
        i = skip_ws(s, i + 1)


def elements_of_member(s, i, name):
    """Start offsets of the elements of the arrays that are members `name` of the object at s[i]."""
    for key, j in object_members(s, i):
        if key == name and s[j] == "[":
            yield from array_elements(s, j)


def with_lines(s, starts):
    """(line, value) for each start offset of a JSON value in s, in increasing order."""
    line, pos = 1, 0
    for start in starts:
        line, pos = line + s.count("\n", pos, start), start
        yield line, _DECODER.raw_decode(s, start)[0]


# --- values --------------------------------------------------------------------------------------
def rfc3339(t):
    """The aware datetime t as RFC 3339 in UTC, to the second."""
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc3339_from_millis(ms):
    """Milliseconds since the Unix epoch as RFC 3339, to the second."""
    return rfc3339(datetime.fromtimestamp(ms // 1000, timezone.utc))


def b64decode(value, what, websafe=False):
    """The bytes of base64 `value`, padded or not (also web-safe with websafe); Skip when it
    is not base64, naming it `what`."""
    try:
        if websafe:
            value = value.replace("-", "+").replace("_", "/")
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, AttributeError, TypeError, ValueError):
        raise Skip(f"{what} is not base64")


# --- the conversion ----------------------------------------------------------------------------
Counts = namedtuple("Counts", "converted skipped left_out")


def convert_users(users, convert, who):
    """Converts each (path, line, user) of users with convert(user), which returns the account
    or raises Skip or LeaveOut. Accounts go to stdout as JSON lines; skipped and left out users
    are reported on stderr as path:line, named by who(user) when user is an object."""
    converted = skipped = left_out = 0
    for path, line, user in users:
        name = who(user) if isinstance(user, dict) else None
        try:
            account = convert(user)
        except Skip as e:
            skipped += 1
            print(f"{path}:{line}: user {name!r} skipped: {e}", file=sys.stderr)
            continue
        except LeaveOut as e:
            left_out += 1
            print(f"{path}:{line}: user {name!r} left out: {e}", file=sys.stderr)
            continue
        sys.stdout.write(json.dumps(account, ensure_ascii=False) + "\n")
        converted += 1
    return Counts(converted, skipped, left_out)


def summarize(prog, counts):
    """Reports counts on stderr; the exit status: 1 when some user was skipped, else 0."""
    note(prog, f"{counts.converted} converted, {counts.skipped} skipped, "
               f"{counts.left_out} left out")
    return 1 if counts.skipped else 0
