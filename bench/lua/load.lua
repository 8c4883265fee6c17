-- The one wrk script of bench/run (wrk -t1 only). Configured by environment variables:
--
-- Fixed request (discovery, JWKS, client_credentials):
--   METHOD (GET), BODY, AUTH (whole Authorization header value), COOKIE
-- Pool of requests, one per line: METHOD <TAB> PATH <TAB> COOKIE <TAB> AUTHORIZATION <TAB> BODY
--   [<TAB> DPOP (a DPoP proof, sent as the DPoP header)]
--   POOL        the file; items are used once each, in order (REVERSE=1: newest last line first)
--   CYCLE=1     wrap around instead (for reusable things: sessions, access tokens)
--   START_FILE  where the next unused line number is kept between runs (warm-up, then measure)
--   CHAIN_FROM / CHAIN_LINE  capture a value from each good response and queue a new pool line,
--               with "{}" in CHAIN_LINE replaced by it (a rotated refresh token is used again)
-- Checks and captures (turn on response(), which costs wrk CPU but not server CPU):
--   EXPECT            the status every response must have (e.g. 200, 303)
--   EXPECT_LOCATION   a string the Location header must contain (e.g. "code=")
--   EXPECT_BODY       a string the body must contain (e.g. '"active":true')
--   RECORD, RECORD_FROM  append to RECORD one line per good response with the captured values,
--               tab-separated; RECORD_FROM is a comma list of location:NAME (query parameter of
--               Location), cookie:NAME (Set-Cookie) and body:NAME (JSON string member)
-- done() prints one "RESULT key=value ..." line that bench/run parses.
--
-- When a single-use pool runs dry the thread stops and sends GET /healthz fillers on the
-- connections that were still open; RESULT then says exhausted=1, and the wall-clock rate is a
-- lower bound (wrk divides by the full duration).

local getenv = os.getenv
local function env(name, default)
  local v = getenv(name)
  if v == nil or v == "" then return default end
  return v
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- per-thread state (wrk runs this file again in each thread)
local queue, head, issued, fillers = {}, 1, 0, 0
bad, good, issued_total, exhausted, first_bad, start = 0, 0, 0, 0, "", 0
local fixed, cycle, expect, expect_loc, expect_body, record, record_from, chain_from, chain_line

local function split_tabs(line)
  local out, i = {}, 1
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    out[i] = field
    i = i + 1
  end
  return out
end

local function build(line)
  local f = split_tabs(line)
  local h = {}
  if f[3] ~= nil and f[3] ~= "" then h["Cookie"] = f[3] end
  if f[4] ~= nil and f[4] ~= "" then h["Authorization"] = f[4] end
  if f[6] ~= nil and f[6] ~= "" then h["DPoP"] = f[6] end
  local body = f[5]
  if body == "" then body = nil end
  if body ~= nil then h["Content-Type"] = "application/x-www-form-urlencoded" end
  return wrk.format(f[1], f[2], h, body)
end

local function capture(spec, status, headers, body)
  local kind, name = spec:match("^(%a+):(.+)$")
  if kind == "location" then
    local loc = headers["location"] or headers["Location"] or ""
    return loc:match("[?&]" .. name .. "=([^&]+)")
  elseif kind == "cookie" then
    local c = headers["set-cookie"] or headers["Set-Cookie"] or ""
    return c:match(name .. "=([^;]+)")
  elseif kind == "body" then
    return body:match('"' .. name .. '":"([^"]+)"')
  end
  return nil
end

function init(args)
  cycle = env("CYCLE", "0") == "1"
  expect = tonumber(env("EXPECT", ""))
  expect_loc = env("EXPECT_LOCATION", nil)
  expect_body = env("EXPECT_BODY", nil)
  record_from = env("RECORD_FROM", nil)
  chain_from = env("CHAIN_FROM", nil)
  chain_line = env("CHAIN_LINE", nil)
  local rec = env("RECORD", nil)
  if rec ~= nil then
    record = assert(io.open(rec, "a"))
    record:setvbuf("full")
  end
  local pool = env("POOL", nil)
  if pool == nil then
    local h = {}
    if env("AUTH", nil) then h["Authorization"] = env("AUTH", nil) end
    if env("COOKIE", nil) then h["Cookie"] = env("COOKIE", nil) end
    local body = env("BODY", nil)
    if body ~= nil then h["Content-Type"] = "application/x-www-form-urlencoded" end
    fixed = wrk.format(env("METHOD", "GET"), nil, h, body)
  else
    for line in io.lines(pool) do
      if line ~= "" then table.insert(queue, line) end
    end
    if env("REVERSE", "0") == "1" then
      local n = #queue
      for i = 1, math.floor(n / 2) do
        queue[i], queue[n - i + 1] = queue[n - i + 1], queue[i]
      end
    end
    local sf = env("START_FILE", nil)
    if sf ~= nil then
      local f = io.open(sf, "r")
      if f ~= nil then
        start = tonumber(f:read("*l") or "0") or 0
        f:close()
      end
    end
    head = start + 1
    if cycle and #queue > 0 then head = ((head - 1) % #queue) + 1 end
  end
  if expect == nil and expect_loc == nil and expect_body == nil and record == nil and chain_from == nil then
    response = nil -- wrk skips header and body parsing entirely
  end
end

function request()
  if fixed ~= nil then return fixed end
  local line = queue[head]
  if line == nil and cycle and #queue > 0 then
    head = 1
    line = queue[1]
  end
  if line == nil then
    exhausted = 1
    fillers = fillers + 1
    wrk.thread:stop()
    return wrk.format("GET", "/healthz")
  end
  queue[head] = cycle and line or false -- single-use: drop the reference
  head = head + 1
  issued_total = issued_total + 1
  return build(line)
end

local pending = 0
function response(status, headers, body)
  local ok = (expect == nil or status == expect)
  if ok and expect_loc ~= nil then
    local loc = headers["location"] or headers["Location"] or ""
    ok = loc:find(expect_loc, 1, true) ~= nil
  end
  if ok and expect_body ~= nil then
    ok = (body or ""):find(expect_body, 1, true) ~= nil
  end
  if ok and chain_from ~= nil then
    local v = capture(chain_from, status, headers, body)
    if v ~= nil then
      table.insert(queue, (chain_line:gsub("{}", function() return v end)))
    else
      ok = false
    end
  end
  if ok and record ~= nil then
    local parts = {}
    for spec in record_from:gmatch("[^,]+") do
      local v = capture(spec, status, headers, body)
      if v == nil then ok = false break end
      table.insert(parts, v)
    end
    if ok then
      record:write(table.concat(parts, "\t"), "\n")
      pending = pending + 1
      if pending >= 64 then record:flush() pending = 0 end
    end
  end
  if ok then
    good = good + 1
  else
    bad = bad + 1
    if first_bad == "" then
      local loc = headers["location"] or headers["Location"] or ""
      first_bad = tostring(status) .. " " .. loc .. " " .. (body or ""):sub(1, 300):gsub("%s+", " ")
    end
  end
end

function done(summary, latency, requests)
  local t = threads[1]
  local used = (t:get("issued_total") or 0)
  local st = t:get("start") or 0
  local sf = getenv("START_FILE")
  if sf ~= nil and sf ~= "" then
    local f = io.open(sf, "w")
    f:write(tostring(st + used), "\n")
    f:close()
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "status_errors=%d socket_errors=%d timeouts=%d good=%d bad=%d used=%d exhausted=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write, e.timeout,
    t:get("good") or 0, t:get("bad") or 0, used, t:get("exhausted") or 0))
  local fb = t:get("first_bad") or ""
  if fb ~= "" then io.write("FIRST_BAD ", fb, "\n") end
end
