-- wrk script: every request is a distinct OfficialAccount.CallbackAfterOfficialAccountDestroyed delivery
-- (its own Official_Account), so nothing is deduplicated away. EventTime is the current time, as Tencent sends
-- it: a fixed past base made the measured run repeat the warm-up's event times, inserting into the middle of
-- the time-ordered indexes instead of at their end as live traffic does.
-- Usage: wrk ... -s ingest.lua <url> -- <run-tag> <SdkAppid> [<RequestTime> <Sign>]
-- done() prints one line "RESULT key=value ..." that run.sh parses.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  run = args[1] or "run"
  app = args[2] or "1400000000"
  path = "/webhook?SdkAppid=" .. app
    .. "&CallbackCommand=OfficialAccount.CallbackAfterOfficialAccountDestroyed"
    .. "&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI"
  if args[3] and args[4] then
    -- Webhook authentication as Tencent sends it; one Sign holds for the whole run (well inside the skew).
    path = path .. "&RequestTime=" .. args[3] .. "&Sign=" .. args[4]
  end
  headers = { ["Content-Type"] = "application/json" }
  sent = 0
  ok = 0
end

-- EventTime as live traffic has it: the current time, rising. Lua's clock has whole seconds, so the milliseconds
-- advance by one every 10 requests of this thread within the second, and never past its end.
local second, in_second = 0, 0
local function event_time()
  local now = os.time()
  if now ~= second then
    second, in_second = now, 0
  end
  in_second = in_second + 1
  return second * 1000 + math.min(999, math.floor(in_second / 10))
end

function request()
  counter = counter + 1
  sent = counter
  local body = string.format(
    '{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountDestroyed",'
      .. '"Official_Account":"@TOA#_bench_%s_%d_%d","Owner_Account":"107867",'
      .. '"Name":"BenchAccount","EventTime":%d}',
    run, id, counter, event_time())
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  end
end

function done(summary, latency, requests)
  local total_sent, total_ok = 0, 0
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    total_ok = total_ok + thread:get("ok")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d sent=%d ok=%d non2xx=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p99_us=%d p999_us=%d\n",
    summary.requests, summary.duration, total_sent, total_ok, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
