-- wrk load for the webhook bench: one connection per wrk thread (run with -t N -c N), so each
-- thread's requests go out one after another and a simulated resident's steps arrive in order.
-- Each thread walks its own slice of residents: `투표` → `1` → `1` (or `메뉴` alone).
-- Arguments (after `--`): path, users per thread, steps ("vote"|"menu"), first user number.

local counter = 1
local threads = {}

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local path, each, steps, n, base

function init(args)
  path = args[1]
  each = tonumber(args[2])
  if args[3] == "menu" then steps = {"메뉴"} else steps = {"투표", "1", "1"} end
  base = tonumber(args[4] or "0") + (id - 1) * each
  n = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local user = base + (math.floor(n / #steps) % each)
  local utterance = steps[(n % #steps) + 1]
  n = n + 1
  local body = '{"bot":{"id":"bench-bot"},"userRequest":{"utterance":"' .. utterance ..
    '","user":{"id":"bench-' .. user .. '","type":"botUserKey"}}}'
  return wrk.format(nil, path, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"errors":%d,"non2xx":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
