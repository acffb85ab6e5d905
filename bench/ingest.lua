-- wrk script, the destroyed-account micro-benchmark: every request is a distinct
-- OfficialAccount.CallbackAfterOfficialAccountDestroyed delivery (its own Official_Account), so nothing is
-- deduplicated away. The keys are shaped like live traffic's:
--   - Official_Account: a new account each time (an account is destroyed once);
--   - Owner_Account: drawn from BENCH_OWNERS owners (default 100,000) with a Zipf-like skew (s = 1: the most
--     popular owner has about 6 % of the accounts, the ten most popular about a fifth), so owners arrive in no key
--     order, as they do live. BENCH_OWNERS=1 gives the old load, every account one owner's: a best case, since the
--     owner indexes then take every event on the same page;
--   - EventTime: the current time, rising. A fixed past base made the measured run repeat the warm-up's event times,
--     inserting into the middle of the time-ordered indexes instead of at their end as live traffic does.
-- Usage: wrk ... -s ingest.lua <url> -- <run-tag> <SdkAppid> [<RequestTime> <Sign>]
-- The templates are built once per thread in init(); request() only fills in numbers.
-- done() prints one line "RESULT key=value ..." that run.sh parses; ok counts answers of HTTP 200 with ErrorCode 0.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local owners = tonumber(os.getenv("BENCH_OWNERS") or "") or 100000
local body_format, path, headers

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
  body_format = '{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountDestroyed",'
    .. '"Official_Account":"@TOA#_' .. run .. '_' .. id .. '_%d","Owner_Account":"%d",'
    .. '"Name":"Account %d","EventTime":%d}'
  math.randomseed(os.time() * 100 + id)
  sent = 0
  ok = 0
end

-- A Zipf-like rank in [1, n): P(rank < k) = ln k / ln n, so rank 1 is the most popular. The ranks are spread over
-- the IDs by a multiplication modulo n, so popular owners are not also the smallest keys.
local function owner()
  if owners <= 1 then
    return 107867
  end
  local rank = math.floor(owners ^ math.random())
  return 100000 + (rank * 48271) % owners
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
  local body = string.format(body_format, counter, owner(), counter, event_time())
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 200 and string.find(body, '"ErrorCode":0', 1, true) then
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
