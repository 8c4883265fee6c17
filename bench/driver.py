#!/usr/bin/env python3
"""Helpers of bench/run that are awkward in bash. Standard library only.

  seed-sqlite DB FIRST COUNT PHC        accounts bench{FIRST..}@example.com, straight into the schema
  signin-pool BASE CLIENT_ID COOKIE ACCOUNTS N OUT
                                        N pending sign-ins at the password step (wrk pool lines)
  coldstart BIN CONFIG URL RUNS         time from exec to the first answered request, RUNS times
  parse SUITE NAME WRK_OUT TICKS HZ CMD DB_TICKS SWITCHES
                                        one JSON line from a wrk output and the server's CPU ticks
                                        (DB_TICKS: PostgreSQL backends' ticks, -1 when not measured)
  plans SUITE DB_URL                    query plans of the hot lookups (index searches, not scans)
  mix SUITE ALONE DURING PASSWORD       discovery p99 alone and during password sign-ins
  report RESULTS_JSONL OUT_MD           bench/RESULTS.md from the JSON lines

Nothing here is measured: the load comes from wrk only. The pools are made before a run so that
single-use things (pending sign-ins) are not made on the clock.
"""

import hashlib
import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

PASSWORD = "correct horse 42"
REDIRECT = "http://127.0.0.1:9/cb"
VERIFIER = "bench-verifier-" + "x" * 40
CHALLENGE = (
    __import__("base64")
    .urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest())
    .decode()
    .rstrip("=")
)


def account_id(n: int) -> str:
    """A UUID-shaped id, deterministic so that PostgreSQL seeding (md5 in SQL) makes the same."""
    h = hashlib.md5(f"bench{n}".encode()).hexdigest()
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def seed_sqlite(db: str, first: int, count: int, phc: str) -> None:
    """Inserts accounts and their email identifiers in one transaction, like the store's
    create_account does row by row (same columns, same normal form of the email)."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous = OFF")
    now = int(time.time())
    batch = 50_000
    t0 = time.time()
    with con:
        for lo in range(first, first + count, batch):
            hi = min(lo + batch, first + count)
            con.executemany(
                "INSERT INTO accounts (id, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?)",
                ((account_id(n), phc, now, now) for n in range(lo, hi)),
            )
            con.executemany(
                "INSERT INTO identifiers (value, kind, account_id, verified, created_at) "
                "VALUES (?, 'email', ?, 1, ?)",
                ((f"bench{n}@example.com", account_id(n), now) for n in range(lo, hi)),
            )
    con.execute("ANALYZE")
    con.close()
    print(f"seeded {count} accounts in {time.time() - t0:.1f} s", file=sys.stderr)


class Conn:
    """One keep-alive HTTP/1.1 connection that remembers nothing (cookies are passed in)."""

    def __init__(self, base: str):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.c = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def req(self, method, path, cookie, body=None):
        headers = {"Cookie": cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.c.request(method, path, body=body, headers=headers)
        r = self.c.getresponse()
        data = r.read().decode("utf-8", "replace")
        return r.status, r.getheader("Location"), data


def one_signin(conn: Conn, client_id: str, cookie: str, email: str) -> str:
    """authorize -> /signin/{id} (identifier step) -> POST identifier -> password step.
    Returns the pool line that posts the password."""
    q = urllib.parse.urlencode(
        {
            "client_id": client_id,
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "scope": "openid email",
            "state": "s",
            "nonce": "n",
            "code_challenge": CHALLENGE,
            "code_challenge_method": "S256",
            "acr_values": "2",
        }
    )
    st, loc, body = conn.req("GET", "/authorize?" + q, cookie)
    if st != 303 or not loc or not loc.startswith("/signin/"):
        raise RuntimeError(f"authorize: {st} {loc} {body[:200]}")
    st, _, page = conn.req("GET", loc, cookie)
    m = re.search(r'name="csrf" value="([^"]+)"', page)
    if st != 200 or not m or 'data-step="identifier"' not in page:
        raise RuntimeError(f"identifier page: {st} {page[:300]}")
    csrf = m.group(1)
    form = urllib.parse.urlencode({"csrf": csrf, "identifier": email})
    st, loc2, body = conn.req("POST", loc, cookie, form)
    if st != 303 or loc2 != loc:
        raise RuntimeError(f"identifier step: {st} {loc2} {body[:300]}")
    pw = urllib.parse.urlencode({"csrf": csrf, "password": PASSWORD, "remember": "true"})
    return "\t".join(["POST", loc, cookie, "", pw])


def signin_pool(base, client_id, cookie, accounts, n, out) -> None:
    """N pending sign-ins for N different accounts drawn at random from bench1..bench{accounts}
    (one password attempt per account: the limit is 10 per account per 15 minutes)."""
    picks = random.sample(range(1, accounts + 1), n)
    lines = [None] * n
    errors = []
    t0 = time.time()

    def work(k: int, step: int):
        conn = Conn(base)
        try:
            for i in range(k, n, step):
                lines[i] = one_signin(conn, client_id, cookie, f"bench{picks[i]}@example.com")
        except Exception as e:  # reported below; the pool is then refused
            errors.append(e)

    ts = [threading.Thread(target=work, args=(k, 4)) for k in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        raise SystemExit(f"signin-pool: {errors[0]}")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{n} pending sign-ins in {time.time() - t0:.1f} s", file=sys.stderr)


def coldstart(binary, config, url, runs) -> None:
    """Starts the server RUNS times on its existing database and prints the time from exec to
    the first 200 answer of URL, polling every millisecond."""
    u = urllib.parse.urlsplit(url)
    hz = os.sysconf("SC_CLK_TCK")
    times, cpus = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.Popen(
            [binary, "--config", config, "serve"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                if p.poll() is not None:
                    raise SystemExit(f"coldstart: the server exited with {p.returncode}")
                try:
                    c = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
                    c.request("GET", u.path)
                    r = c.getresponse()
                    r.read()
                    c.close()
                    if r.status == 200:
                        times.append((time.perf_counter() - t0) * 1000)
                        with open(f"/proc/{p.pid}/stat") as f:
                            fields = f.read().rsplit(")", 1)[1].split()
                        cpus.append((int(fields[11]) + int(fields[12])) * 1000 / hz)
                        break
                except OSError:
                    pass
                if time.perf_counter() - t0 > 30:
                    raise SystemExit("coldstart: no answer in 30 s")
                time.sleep(0.001)
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait()
    print(
        json.dumps(
            {
                "runs_ms": [round(t, 1) for t in times],
                "median_ms": round(statistics.median(times), 1),
                "min_ms": round(min(times), 1),
                "cpu_ms": [round(c) for c in cpus],
                "median_cpu_ms": round(statistics.median(cpus)),
            }
        )
    )


# The lookups of the hot paths, as the store writes them (crates/connectid-store/src/sql.rs),
# with literals for the parameters: their plans must be index searches, never scans.
HOT_QUERIES = [
    ("identifier step: account by identifier", "SELECT account_id FROM identifiers WHERE value = 'bench1@example.com'"),
    ("account and its identifiers by id", "SELECT a.id, a.password_hash, i.kind, i.value, i.verified FROM accounts a "
     "LEFT JOIN identifiers i ON i.account_id = a.id WHERE a.id = 'x' ORDER BY i.created_at, i.value"),
    ("account and its identifiers by identifier", "SELECT a.id, i.value FROM accounts a LEFT JOIN identifiers i "
     "ON i.account_id = a.id WHERE a.id = (SELECT account_id FROM identifiers WHERE value = 'x') ORDER BY i.created_at, i.value"),
    ("SSO session by cookie", "SELECT id_hash, sid, account_id FROM sso_sessions WHERE id_hash = 'x' AND expires_at > 0"),
    ("pending sign-in", "SELECT data FROM interactions WHERE id_hash = 'x' AND expires_at > 0"),
    ("client", "SELECT client_id, secret_hash, metadata FROM clients WHERE client_id = 'x'"),
    ("grant", "SELECT id FROM grants WHERE id = 'x'"),
    ("code", "SELECT grant_id, used_at FROM auth_codes WHERE code_hash = 'x'"),
    ("refresh token", "SELECT grant_id FROM refresh_tokens WHERE token_hash = 'x'"),
    ("rate limit (GCRA)", "SELECT tat FROM rate_limit_tats WHERE key = 'x'"),
]


def plans(db_url: str) -> list:
    out = []
    if db_url.startswith("sqlite:"):
        con = sqlite3.connect(db_url.split("://", 1)[1])
        for label, q in HOT_QUERIES:
            rows = con.execute("EXPLAIN QUERY PLAN " + q).fetchall()
            out.append([label, "; ".join(r[-1] for r in rows)])
        con.close()
    else:
        for label, q in HOT_QUERIES:
            r = subprocess.run(["psql", "-At", db_url, "-c", "EXPLAIN (COSTS OFF) " + q],
                               capture_output=True, text=True, check=True)
            out.append([label, "; ".join(l.strip() for l in r.stdout.splitlines())])
    return out


def wrk_result(path: str) -> dict:
    """The RESULT line that bench/lua/load.lua's done() prints."""
    text = open(path).read()
    m = re.search(r"^RESULT (.*)$", text, re.M)
    if not m:
        raise SystemExit(f"no RESULT line in {path}:\n{text[-2000:]}")
    r = {k: int(v) for k, v in (kv.split("=") for kv in m.group(1).split())}
    fb = re.search(r"^FIRST_BAD (.*)$", text, re.M)
    r["first_bad"] = fb.group(1)[:300] if fb else ""
    return r


def parse(suite, name, path, ticks, hz, cmd, db_ticks=-1, switches=-1) -> dict:
    r = wrk_result(path)
    secs = r["duration_us"] / 1e6
    cpu = ticks / hz
    bad = r["bad"] + (r["status_errors"] if r["good"] == 0 and r["bad"] == 0 else 0)
    return {
        "kind": "wrk",
        "suite": suite,
        "name": name,
        "requests": r["requests"],
        "duration_s": round(secs, 3),
        "rps": r["requests"] / secs,
        "cpu_s": cpu,
        "per_cpu": r["requests"] / cpu if cpu > 0 else 0.0,
        # PostgreSQL suites: CPU of the database backends serving connectid, and the rate per
        # CPU second of connectid and those backends together
        "db_cpu_s": db_ticks / hz if db_ticks >= 0 else None,
        # context switches of all the server's threads per request: each hand-over between
        # threads (a database worker, the blocking pool) costs two
        "switches_per_req": switches / r["requests"] if switches >= 0 and r["requests"] else None,
        "per_cpu_with_db": r["requests"] / (cpu + db_ticks / hz) if db_ticks >= 0 and cpu + db_ticks > 0 else None,
        "p50_ms": r["p50_us"] / 1000,
        "p90_ms": r["p90_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
        "max_ms": r["max_us"] / 1000,
        "bad": bad,
        "socket_errors": r["socket_errors"],
        "timeouts": r["timeouts"],
        "exhausted": r["exhausted"],
        "first_bad": r["first_bad"],
        "cmd": cmd,
    }


# ---------------------------------------------------------------------------------- report

FLOWS = [
    ("discovery", "GET discovery"),
    ("jwks", "GET JWKS"),
    ("token_cc", "POST token, client_credentials, Basic, RS256 JWT"),
    ("token_cc_dpop", "POST token, client_credentials + ES256 DPoP proof → DPoP-bound JWT"),
    ("password", "password sign-in (POST password → 303 with code)"),
    ("sso_hit", "SSO hit (GET /authorize with session cookie → 303 with code)"),
    ("code_exchange", "code exchange (authorization_code + PKCE → ID + access + refresh)"),
    ("refresh", "refresh (rotation → ID + access + refresh)"),
    ("introspection", "introspection (POST, Basic)"),
    ("userinfo", "UserInfo (GET, Bearer)"),
]


def fmt(v, digits=0):
    if v is None:
        return "–"
    if digits == 0:
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}"


def rate(r, key="per_cpu"):
    """A per-CPU-s figure, with the range when it is the median of several rounds."""
    if not r:
        return "–"
    if r.get("rounds", 1) > 1 and key == "per_cpu":
        lo, hi = r["per_cpu_range"]
        return f"{r[key]:,.0f} ({lo / 1000:,.0f}k–{hi / 1000:,.0f}k)" if lo >= 10_000 else f"{r[key]:,.0f} ({lo:,.0f}–{hi:,.0f})"
    return fmt(r.get(key))


def lat(r):
    return f"{r['p50_ms']:.2f} / {r['p99_ms']:.2f}" if r else "–"


def pct(a, b):
    if a is None or not b:
        return "–"
    return f"{100 * a / b:.0f} %"


def mb(kb):
    return f"{kb / 1024:.1f} MB" if kb is not None else "–"


def report(jsonl: str, out: str) -> None:
    rows = [json.loads(l) for l in open(jsonl) if l.strip()]
    # repeated rounds of one figure: the round with the median rate per CPU-s stands for it
    groups = {}
    for r in rows:
        if r.get("kind") == "wrk":
            groups.setdefault((r["suite"], r["name"]), []).append(r)
    wrk = {}
    for k, g in groups.items():
        g = sorted(g, key=lambda r: r["per_cpu"])
        m = dict(g[len(g) // 2])
        m["rounds"] = len(g)
        m["per_cpu_range"] = (g[0]["per_cpu"], g[-1]["per_cpu"])
        wrk[k] = m
    machine = next(r for r in rows if r.get("kind") == "machine")
    end = next((r for r in rows if r.get("kind") == "end"), {})
    rss = {r["suite"]: r for r in rows if r.get("kind") == "rss"}
    cold = {r["suite"]: r for r in rows if r.get("kind") == "coldstart"}
    mix = {r["suite"]: r for r in rows if r.get("kind") == "mix"}
    loops = {(r["name"], int(r["threads"])): r for r in rows if r.get("kind") == "loop"}
    suites = sorted({r["suite"] for r in rows if r.get("kind") == "wrk"})
    # The limit is the better of the 1- and 2-thread loops for RS256 (conservative), and the
    # 2-thread loop for Argon2id: connectid hashes with one permit per core, so two 19 MiB
    # hashes share the caches and the memory bus exactly as in the 2-thread loop.
    rs256 = max((loops.get(("rs256", t), {}).get("per_cpu_s") or 0) for t in (1, 2)) or None
    argon = loops.get(("argon2", 2), {}).get("per_cpu_s")
    argon1 = loops.get(("argon2", 1), {}).get("per_cpu_s")
    es256v = max((loops.get(("es256v", t), {}).get("per_cpu_s") or 0) for t in (1, 2)) or None
    hello = wrk.get(("limits", "hello"))
    hello_cpu = hello["per_cpu"] if hello else None

    def get(suite, name, field="per_cpu"):
        r = wrk.get((suite, name))
        return r[field] if r else None

    L = []
    w = L.append
    w("# connectid benchmark results")
    w("")
    w("Generated by `bench/run` (see `bench/README.md` for the method and the analysis of misses).")
    w("Do not edit by hand: the next run overwrites it.")
    w("")
    if machine.get("profiled"):
        w("> **This run was profiled (PROFILE=1): perf sampled the server during every connectid figure, "
          "so these figures are for diagnosis, not for comparison.**")
        w("")
    w(f"- **Date**: {machine['date']}; connectid commit `{machine['commit']}`"
      + (" (with uncommitted changes in crates/)" if machine.get("dirty") else ""))
    w(f"- **Machine**: {machine['cpu']}, {machine['cores']} cores, {machine['mem']} RAM, Linux {machine['kernel']}; "
      f"load average at start {' '.join(machine['loadavg'])}, at end {' '.join(end.get('loadavg', ['?']))} "
      "(other sessions share the machine: the wall-clock rates are a floor, the per-CPU-second rates are the ones to compare)")
    w(f"- **Software**: {machine['rustc']}; wrk {machine['wrk']}; Node {machine['node']}; "
      f"PostgreSQL {machine.get('postgres') or '–'}; SQLite {machine.get('sqlite') or '–'}")
    any_wrk = next(iter(wrk.values()))
    w(f"- **Load**: wrk, 1 thread, {any_wrk['cmd'].split(' -c')[1].split()[0]} keep-alive connections, "
      f"on loopback, after a warm-up; the server's CPU time is utime+stime "
      "from `/proc/PID/stat` before and after, so **per CPU-s = requests ÷ server CPU seconds**. "
      "Discovery, JWKS and client_credentials of the peer and of connectid on SQLite are the median of "
      "several short rounds (range in brackets; connectid's interleaved with the hello-world's), the "
      "other figures one longer run each (durations in the commands below).")
    w("")

    # ---- targets
    sq = "connectid-sqlite"
    pg = "connectid-postgres"
    r = rss.get(sq, {})
    c = cold.get(sq, {})
    argon_mem_kb = 2 * 19 * 1024
    targets = []

    def t(name, value, target, ok, note=""):
        targets.append((name, value, target, "met" if ok else "**missed**", note))

    for name in ("discovery", "jwks"):
        v = get(sq, name)
        if v is not None:
            t(f"{name} per CPU-s", fmt(v), "≥ 150,000 and ≥ 80 % of hello-world",
              v >= 150_000 and (hello_cpu is None or v >= 0.8 * hello_cpu), f"{pct(v, hello_cpu)} of hello-world")
    v = get(sq, "token_cc")
    if v is not None and rs256:
        t("token (client_credentials, RS256) per CPU-s", fmt(v), "≥ 90 % of the RS256 limit",
          v >= 0.9 * rs256, f"{pct(v, rs256)} of {fmt(rs256)} signatures/CPU-s")
    v, d = get(sq, "token_cc"), get(sq, "token_cc_dpop")
    if v and d and es256v:
        extra_us, verify_us = (1 / d - 1 / v) * 1e6, 1e6 / es256v
        t("DPoP-bound token: CPU per request above client_credentials", f"{extra_us:.0f} µs",
          "≤ one ES256 verification", extra_us <= verify_us,
          f"one verification is {verify_us:.0f} µs; the proof's jti is also written (replay)")
    v = get(sq, "sso_hit")
    if v is not None:
        t("SSO hit per CPU-s", fmt(v), "≥ 20,000", v >= 20_000)
    v = get(sq, "code_exchange")
    if v is not None and rs256:
        t("code exchange per CPU-s", fmt(v), "≥ 45 % of the RS256 limit (two signatures)",
          v >= 0.45 * rs256, f"{pct(v, rs256)} of {fmt(rs256)}")
    v = get(sq, "password")
    if v is not None and argon:
        t("password sign-in per CPU-s", fmt(v, 1), "≥ 90 % of the Argon2id limit",
          v >= 0.9 * argon, f"{pct(v, argon)} of {fmt(argon, 1)} verifications/CPU-s with 2 threads "
          f"({pct(v, argon1)} of {fmt(argon1, 1)} with 1)")
    m = mix.get(sq)
    if m:
        t("discovery p99 during password sign-ins", f"{m['during_p99_ms']:.2f} ms",
          "p99 kept (hashing bounded): ≤ 3× alone, or ≤ 10 ms", m["during_p99_ms"] <= max(10.0, 3 * m["alone_p99_ms"]),
          f"alone {m['alone_p99_ms']:.2f} ms (4 connections)")
    if r:
        t("idle RSS", mb(r["idle_kb"]), "≤ 16 MB", r["idle_kb"] <= 16 * 1024)
        t("peak RSS without password load", mb(r["hwm_before_password_kb"]), "≤ 64 MB",
          r["hwm_before_password_kb"] <= 64 * 1024)
        t("peak RSS, whole run", mb(r["hwm_kb"]), f"≤ 64 MB + {argon_mem_kb // 1024} MB (2 Argon2 hashes in flight)",
          r["hwm_kb"] <= 64 * 1024 + argon_mem_kb)
    if c:
        t("cold start to first request (existing database)", f"{c['median_ms']:.0f} ms", "≤ 100 ms",
          c["median_ms"] <= 100, f"runs: {', '.join(f'{x:.0f}' for x in c['runs_ms'])} ms; "
          f"CPU {c.get('median_cpu_ms', '?')} ms")
    w("## Targets (SQLite, per server CPU-second)")
    w("")
    w("| target | measured | wanted | | |")
    w("|---|---:|---|---|---|")
    for row in targets:
        w("| " + " | ".join(row) + " |")
    w("")

    # ---- side by side with the peer
    w("## connectid and the peer (node-oidc-provider), same run, same load generator")
    w("")
    w("| endpoint | connectid req/s | connectid per CPU-s | p50 / p99 ms | peer req/s | peer per CPU-s | p50 / p99 ms | connectid ÷ peer (per CPU-s) | connectid ÷ limit |")
    w("|---|---:|---:|---|---:|---:|---|---:|---|")
    for name, label in FLOWS[:3]:
        a, b = wrk.get((sq, name)), wrk.get(("peer", name))
        limit = f"{pct(a['per_cpu'], hello_cpu)} of hello-world" if name != "token_cc" else f"{pct(a['per_cpu'] if a else None, rs256)} of RS256"
        ratio = f"{a['per_cpu'] / b['per_cpu']:.1f}×" if a and b and b["per_cpu"] else "–"
        w(f"| {label} | {fmt(a and a['rps'])} | {rate(a)} | {lat(a)} | {fmt(b and b['rps'])} | "
          f"{rate(b)} | {lat(b)} | {ratio} | {limit if a else '–'} |")
    w("")

    # ---- every flow on both databases
    w("## connectid, every flow, SQLite and PostgreSQL")
    w("")
    w("| flow | SQLite req/s | SQLite per CPU-s | p50 / p99 ms | SQLite context switches per request | PostgreSQL req/s | PostgreSQL per CPU-s (connectid) | per CPU-s (connectid + PostgreSQL backends) | p50 / p99 ms | SQLite per CPU-s ÷ limit |")
    w("|---|---:|---:|---|---:|---:|---:|---:|---|---|")
    for name, label in FLOWS:
        a, b = wrk.get((sq, name)), wrk.get((pg, name))
        if not a and not b:
            continue
        limit = "–"
        if a:
            if name in ("discovery", "jwks"):
                limit = f"{pct(a['per_cpu'], hello_cpu)} of hello-world"
            elif name in ("token_cc", "token_cc_dpop", "code_exchange", "refresh"):
                limit = f"{pct(a['per_cpu'], rs256)} of RS256 signing"
            elif name == "password":
                limit = f"{pct(a['per_cpu'], argon)} of Argon2id"
        w(f"| {label} | {fmt(a and a['rps'])} | {rate(a)} | {lat(a)} | {fmt(a and a.get('switches_per_req'), 1)} | "
          f"{fmt(b and b['rps'])} | {rate(b)} | {fmt(b and b.get('per_cpu_with_db'))} | {lat(b)} | {limit} |")
    w("")
    w("PostgreSQL runs on the same two cores. The first PostgreSQL per-CPU-s column counts connectid's "
      "CPU only; the second adds the CPU of the PostgreSQL backends serving connectid's pool (from "
      "`pg_stat_activity` and `/proc`; the shared WAL writer and checkpointer are not in it), which is "
      "the figure to compare with SQLite, where the database runs inside connectid's process.")
    w("")
    bad = [r for r in wrk.values() if r["bad"] or r["exhausted"] or r["socket_errors"]]
    if bad:
        w("**Anomalies** (responses that failed the check, or a pool that ran dry):")
        w("")
        for r in bad:
            w(f"- {r['suite']} {r['name']}: bad={r['bad']} socket_errors={r['socket_errors']} exhausted={r['exhausted']} {r['first_bad'][:200]}")
        w("")

    # ---- scale
    scale = sorted((s for s in suites if s.startswith("scale-")), key=lambda s: int(s.rsplit("-", 1)[1]))
    plan_rows = {r["suite"]: r["plans"] for r in rows if r.get("kind") == "plans"}
    for s in scale[1:]:
        n = int(s.rsplit("-", 1)[1])
        base = scale[0]
        b_n = int(base.rsplit("-", 1)[1])
        db_name = "PostgreSQL" if "postgres" in s else "SQLite"
        w(f"## Scale: {n:,} accounts against {b_n:,} ({db_name}, measured back to back)")
        w("")
        w(f"| flow | {b_n:,} accounts per CPU-s | {n:,} accounts per CPU-s | ratio | {b_n:,}: p50 / p99 ms | {n:,}: p50 / p99 ms |")
        w("|---|---:|---:|---:|---|---|")
        key = "per_cpu_with_db" if "postgres" in s else "per_cpu"
        for name, label in FLOWS:
            a, b = wrk.get((base, name)), wrk.get((s, name))
            if not b:
                continue
            w(f"| {label} | {fmt(a and a[key])} | {fmt(b[key])} | {pct(b[key], a and a[key])} | {lat(a)} | {lat(b)} |")
        w("")
        if s in plan_rows:
            w(f"Query plans of the hot lookups with {n:,} accounts (index searches; PostgreSQL's planner may "
              "scan a table of a few rows, such as `clients`):")
            w("")
            w("| lookup | plan |")
            w("|---|---|")
            for label, plan in plan_rows[s]:
                w(f"| {label} | `{plan}` |")
            w("")

    # ---- limits
    w("## Physical limits, same machine, same run (`bench/limits`)")
    w("")
    w("| limit | per CPU-s, 1 thread | per CPU-s, 2 threads | wall rate, 1 thread | wall rate, 2 threads | command |")
    w("|---|---:|---:|---:|---:|---|")
    if hello:
        w(f"| axum hello-world (wrk as above) | {rate(hello)} | | {fmt(hello['rps'])} req/s | | `{hello['cmd'].strip()}` |")
    for name, label in (("rs256", "RS256 signature, RSA-2048, aws-lc-rs"), ("argon2", "Argon2id verify, m=19 MiB, t=2, p=1"),
                        ("es256v", "ES256 verify, P-256, aws-lc-rs (a DPoP proof)")):
        one, two = loops.get((name, 1)), loops.get((name, 2))
        if one:
            digits = 1 if name == "argon2" else 0
            w(f"| {label} | {fmt(one['per_cpu_s'], digits)} | {fmt(two and two['per_cpu_s'], digits)} | "
              f"{fmt(one['per_wall_s'], digits)}/s | {fmt(two and two['per_wall_s'], digits)}/s | "
              f"`{one['cmd']}`, `{two and two['cmd']}` |")
    w("")
    w("Limits used for the ratios: RS256 = the better of the two per-CPU-s figures; Argon2id = the "
      "2-thread figure (connectid verifies with one permit per core, so two hashes run at once as there).")
    w("")

    # ---- memory and start
    w("## Memory and start")
    w("")
    w("| process | RSS idle after start | peak RSS before password sign-ins | peak RSS (VmHWM) whole run | RSS at the end |")
    w("|---|---:|---:|---:|---:|")
    for s in [sq, pg, *scale, "peer", "limits"]:
        r = rss.get(s)
        if r:
            name = {"limits": "axum hello-world"}.get(s, s)
            w(f"| {name} | {mb(r.get('idle_kb'))} | {mb(r.get('hwm_before_password_kb'))} | {mb(r['hwm_kb'])} | {mb(r['rss_kb'])} |")
    w("")
    for s, c in cold.items():
        w(f"- Cold start, {s}, existing database (exec → first `200` of discovery, polled every ms): "
          f"median **{c['median_ms']:.0f} ms**, runs {', '.join(f'{x:.0f}' for x in c['runs_ms'])} ms; "
          f"server CPU time until then {', '.join(str(x) for x in c.get('cpu_ms', []))} ms (10 ms ticks).")
    m = mix.get(sq)
    if m:
        w(f"- Discovery with 4 connections while 32 connections post passwords: p50 {m['during_p50_ms']:.2f} ms, "
          f"p99 {m['during_p99_ms']:.2f} ms ({fmt(m['during_rps'])} req/s); alone: p50 {m['alone_p50_ms']:.2f} ms, "
          f"p99 {m['alone_p99_ms']:.2f} ms ({fmt(m['alone_rps'])} req/s).")
    w("")

    # ---- commands
    w("## Commands")
    w("")
    w("Every figure above is one of these wrk runs (pools are files of prepared requests, see `bench/README.md`; "
      "`AUTH=…` is the bench client's Basic credentials; `<out>` is the run's raw output directory, "
      "`$CARGO_TARGET_DIR/bench/<time>/`, where every wrk output, pool and server log is kept):")
    w("")
    w("```")
    seen = set()
    for r in rows:
        if r.get("kind") == "wrk" and (r["suite"], r["name"], r["cmd"]) not in seen:
            seen.add((r["suite"], r["name"], r["cmd"]))
            n = len(groups[(r["suite"], r["name"])])
            w(f"{r['suite']:<22} {r['name']:<14} {r['cmd']}" + (f"   (x{n})" if n > 1 else ""))
    w("```")
    open(out, "w").write("\n".join(L) + "\n")


def main() -> None:
    a = sys.argv[1:]
    if a[:1] == ["seed-sqlite"] and len(a) == 5:
        seed_sqlite(a[1], int(a[2]), int(a[3]), a[4])
    elif a[:1] == ["signin-pool"] and len(a) == 7:
        signin_pool(a[1], a[2], a[3], int(a[4]), int(a[5]), a[6])
    elif a[:1] == ["coldstart"] and len(a) == 5:
        coldstart(a[1], a[2], a[3], int(a[4]))
    elif a[:1] == ["parse"] and len(a) == 9:
        r = parse(a[1], a[2], a[3], int(a[4]), int(a[5]), a[6], int(a[7]), int(a[8]))
        print(json.dumps(r))
        print(
            f"{r['suite']:<22} {r['name']:<14} {r['rps']:>9.0f} req/s {r['per_cpu']:>9.0f} /CPU-s"
            f"  p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  bad {r['bad']}"
            + ("  EXHAUSTED" if r["exhausted"] else "")
            + (f"  first bad: {r['first_bad'][:160]}" if r["first_bad"] else ""),
            file=sys.stderr,
        )
    elif a[:1] == ["plans"] and len(a) == 3:
        print(json.dumps({"kind": "plans", "suite": a[1], "plans": plans(a[2])}))
    elif a[:1] == ["mix"] and len(a) == 5:
        alone, during, pw = (wrk_result(f) for f in a[2:5])
        print(
            json.dumps(
                {
                    "kind": "mix",
                    "suite": a[1],
                    "alone_p99_ms": alone["p99_us"] / 1000,
                    "during_p99_ms": during["p99_us"] / 1000,
                    "alone_p50_ms": alone["p50_us"] / 1000,
                    "during_p50_ms": during["p50_us"] / 1000,
                    "alone_rps": alone["requests"] / (alone["duration_us"] / 1e6),
                    "during_rps": during["requests"] / (during["duration_us"] / 1e6),
                    "password_good": pw["good"],
                    "password_bad": pw["bad"],
                }
            )
        )
    elif a[:1] == ["report"] and len(a) == 3:
        report(a[1], a[2])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
