#!/usr/bin/env python3
"""Records which English text each translation was made from, in connectid-web/locales/SOURCES.

Run it after translating a changed English message (the unit test
`every_translation_was_made_from_the_current_english` in crates/connectid-web/src/i18n.rs
names each translation whose English has changed since, and fails until this is run).

    tools/i18n-sources.py                    # every message of every locale
    tools/i18n-sources.py sv bg              # every message of these locales
    tools/i18n-sources.py sv:err-code-wrong  # one message of one locale
    tools/i18n-sources.py --check            # write nothing; exit 1 if SOURCES is stale

Without arguments it records every translation as made from today's en.ftl, so run it that
way only once every message the test named has been translated again. Naming locales or
locale:message pairs records only those (and adds lines for messages not recorded yet);
the other lines keep their recorded hash.

SOURCES has one line per (locale, message) for every message a locale (other than en) has:
`<locale> <message-id> <hash>`, where hash is the first 16 hex digits of the SHA-256 of the
UTF-8 source text of that message in en.ftl. The source text of a message is defined as:
its entry starts at a line `<id> =` (an id is an ASCII letter followed by ASCII letters,
digits, `-` and `_`; spaces may come before and after `=`); the text is the rest of that
line after `=` and the spaces following it, then every following line (joined with "\\n")
up to, not including, the next line that starts with an ASCII letter, `-` or `#`, or the
end of the file; trailing spaces, tabs, CRs and newlines are then trimmed. Attributes and
variants (indented lines) are part of the text; comments are not. The Rust test computes
the same text and hash.
"""
import hashlib
import pathlib
import re
import sys

LOCALES = pathlib.Path(__file__).resolve().parent.parent / "crates/connectid-web/locales"
SOURCES = LOCALES / "SOURCES"
ENTRY = re.compile(r"([A-Za-z][A-Za-z0-9_-]*) *=(.*)")
HEADER = """\
# The English text each translation was made from: <locale> <message-id> <hash>, the hash
# being the first 16 hex digits of the SHA-256 of the message's source text in en.ftl.
# Written by tools/i18n-sources.py (run it after translating a changed English message);
# checked by the unit test every_translation_was_made_from_the_current_english (i18n.rs).
"""


def messages(text):
    """(id, source text) of each message of a catalogue, in file order."""
    out = []
    current = None
    for line in text.split("\n"):
        first = line[:1]
        if first and first.isascii() and (first.isalpha() or first in "-#"):
            if current:
                out.append(current)
            m = ENTRY.fullmatch(line)
            current = (m.group(1), [m.group(2).lstrip(" ")]) if m else None
        elif current:
            current[1].append(line)
    if current:
        out.append(current)
    return [(mid, "\n".join(lines).rstrip(" \t\r\n")) for mid, lines in out]


def digest(source):
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def recorded():
    lines = {}
    if SOURCES.exists():
        for line in read(SOURCES).split("\n"):
            fields = line.split()
            if len(fields) == 3 and not line.startswith("#"):
                lines[(fields[0], fields[1])] = fields[2]
    return lines


def main(args):
    check = "--check" in args
    names = [a for a in args if a != "--check"]
    english = {mid: digest(src) for mid, src in messages(read(LOCALES / "en.ftl"))}
    old = recorded()
    codes = sorted(p.stem for p in LOCALES.glob("*.ftl") if p.stem != "en")
    for name in names:
        code, _, mid = name.partition(":")
        if code not in codes:
            sys.exit(f"no locale {code!r} (locales: {' '.join(codes)})")
        if mid and mid not in dict(messages(read(LOCALES / f"{code}.ftl"))):
            sys.exit(f"{code}.ftl has no message {mid!r}")
    rows, problems, seen = [], [], set()
    for code in codes:
        for mid, _ in messages(read(LOCALES / f"{code}.ftl")):
            if mid not in english:
                continue  # a message English does not have: the completeness test reports it
            now, then = english[mid], old.get((code, mid))
            seen.add((code, mid))
            if check:
                if then is None:
                    problems.append(f"{code} {mid} has no line in locales/SOURCES")
                elif then != now:
                    problems.append(f"en.ftl changed {mid}; translate it again in {code}, "
                                    f"then run tools/i18n-sources.py {code}:{mid}")
                continue
            named = not names or code in names or f"{code}:{mid}" in names
            rows.append(f"{code} {mid} {now if named or then is None else then}")
    if check:
        problems += [f"locales/SOURCES lists {c} {m}, which {c}.ftl or en.ftl does not have"
                     for c, m in sorted(set(old) - seen)]
        print("\n".join(problems) or "locales/SOURCES is up to date")
        return 1 if problems else 0
    text = HEADER + "\n".join(rows) + "\n"
    if not SOURCES.exists() or read(SOURCES) != text:
        with open(SOURCES, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    print(f"locales/SOURCES: {len(rows)} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
