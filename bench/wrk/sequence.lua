-- wrk script for measurement (2): each request POSTs one new Sequence usage event (a new customerEventId every
-- time, so none is a supersede or a replay) and counts the 201 answers.
-- wrk -t2 -c64 -d15s -s bench/wrk/sequence.lua http://127.0.0.1:18090 -- <event id prefix> "<Authorization>"
-- At the end it prints one line: created <n> other <n> seconds <s> p50_us <us> p99_us <us>
local threads = {}
local counter = 0
local stamp_second, stamp = -1, nil

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  prefix = args[1] .. id .. "-"
  created, other = 0, 0
  wrk.headers["Authorization"] = args[2]
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local now = os.time()
  if now ~= stamp_second then
    stamp_second, stamp = now, os.date("!%Y-%m-%dT%H:%M:%SZ", now)
  end
  return wrk.format("POST", "/api/usage-events", nil,
    '{"customerEventId":"' .. prefix .. counter .. '","customerAlias":"customer-' .. id .. '-' .. (counter % 32) ..
    '","eventType":"message-sent","eventTimestamp":"' .. stamp ..
    '","eventProperties":{"length":500,"type":"text_message"}}')
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  io.write(string.format("created %d other %d seconds %.3f p50_us %d p99_us %d\n", c, o,
    summary.duration / 1e6, math.floor(latency:percentile(50)), math.floor(latency:percentile(99))))
end
