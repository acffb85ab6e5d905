-- wrk script: every request is a distinct OfficialAccount.CallbackAfterOfficialAccountDestroyed delivery
-- (its own Official_Account and EventTime), so nothing is deduplicated away.
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

function request()
  counter = counter + 1
  sent = counter
  local body = string.format(
    '{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountDestroyed",'
      .. '"Official_Account":"@TOA#_bench_%s_%d_%d","Owner_Account":"107867",'
      .. '"Name":"BenchAccount","EventTime":%d}',
    run, id, counter, 1670000000000 + counter)
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
