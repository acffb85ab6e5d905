-- wrk script, the traffic mix: what one app's webhook URL receives, by share of deliveries. Tencent POSTs every
-- enabled callback to the same URL (34354), and most of it is message and state traffic, which CleanChat records raw;
-- the official-account family, typed and folded into state, is a small part. See bench/README.md for where each share
-- comes from.
--
-- Change the shares here, or for one run with BENCH_MIX="Command=weight,Command=weight,..." (weights are relative;
-- only the commands this script can build are accepted). The populations are BENCH_USERS (1,000,000),
-- BENCH_ACCOUNTS (10,000 official accounts), BENCH_OWNERS (100,000 account owners) and BENCH_GROUPS (50,000).
local SHARES = {
  -- Messages and state, recorded raw (88 %).
  { "C2C.CallbackAfterSendMsg", 36 },
  { "Group.CallbackAfterSendMsg", 28 },
  { "State.StateChange", 12 },
  { "C2C.CallbackAfterMsgReport", 6 },
  { "Group.CallbackAfterNewMemberJoin", 2 },
  { "Group.CallbackAfterMemberExit", 1 },
  { "Sns.CallbackFriendAdd", 1 },
  { "Profile.CallbackPortraitSet", 1 },
  { "C2C.CallbackAfterMsgWithDraw", 0.5 },
  { "Group.CallbackAfterRecallMsg", 0.5 },
  -- The official-account family, typed (12 %): a send and a subscribe each come as a "before" and an "after".
  { "OfficialAccount.CallbackBeforeSendMsg", 3 },
  { "OfficialAccount.CallbackAfterSendMsg", 3 },
  { "OfficialAccount.CallbackBeforeAddSubscriber", 2.4 },
  { "OfficialAccount.CallbackAfterAddSubscriber", 2.4 },
  { "OfficialAccount.CallbackAfterDeleteSubscriber", 0.6 },
  { "OfficialAccount.CallbackAfterMsgWithDraw", 0.2 },
  { "OfficialAccount.CallbackAfterOfficialAccountInfoChanged", 0.2 },
  { "OfficialAccount.CallbackBeforeCreateOfficialAccount", 0.05 },
  { "OfficialAccount.CallbackAfterCreateOfficialAccount", 0.05 },
  { "OfficialAccount.CallbackAfterOfficialAccountFull", 0.05 },
  { "OfficialAccount.CallbackAfterOfficialAccountDestroyed", 0.05 },
}
-- Usage: wrk ... -s mix.lua <url> -- <run-tag> <SdkAppid> [<RequestTime> <Sign>]
-- BENCH_LANE (0-3) must differ between wrk processes that load the same database at once (run.sh --nodes sets it);
-- each runs at most 8 threads.
--
-- Every delivery is distinct, so none is deduplicated and every OK is a row: raw commands are keyed by a hash of the
-- body, typed ones by EventTime and the body or the account (docs/webhook.md, delivery keys), and every body here
-- carries something no other request of the run has: a MsgKey, MsgSeq and MsgRandom, a subscriber, a user from a
-- permutation (State, Profile, Sns), a new account (create, destroy, full), a client message ID in CloudCustomData.
-- Templates and the message bodies are built once per thread in init(); request() picks a slot of a shuffled
-- schedule (so the shares are exact over every 10,000 requests) and fills in numbers.
-- done() prints one line "RESULT key=value ..." that run.sh parses; ok counts answers of HTTP 200 with ErrorCode 0.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local function env_number(name, default) return tonumber(os.getenv(name) or "") or default end
local USERS = env_number("BENCH_USERS", 1000000)
local ACCOUNTS = env_number("BENCH_ACCOUNTS", 10000)
local OWNERS = env_number("BENCH_OWNERS", 100000)
local GROUPS = env_number("BENCH_GROUPS", 50000)
local LANE = env_number("BENCH_LANE", 0)
local SCHEDULE = 10000

local format, floor, random, concat = string.format, math.floor, math.random, table.concat

-- A Zipf-like rank in [1, n): P(rank < k) = ln k / ln n (s = 1), spread over [0, n) by a multiplication modulo n so
-- the popular ones are not also the smallest keys.
local function zipf(n)
  if n <= 1 then return 0 end
  return (floor(n ^ random()) * 48271) % n
end

-- A user no other request nearby names in the same place: stream s (lane and thread, 0-31) walks a permutation of
-- [0, USERS / 2) from its own 32nd of it, doubled (even IDs; the random users of subscriber lists are odd). Another
-- stream reaches the same user only some 15,000 such events later, seconds apart, so in another millisecond.
local stream, unique_counter = 0, 0
local function unique_user()
  unique_counter = unique_counter + 1
  local half = floor(USERS / 2)
  local slot = (stream * floor(USERS / 64) + unique_counter) % half
  return 2 * ((slot * 7919) % half)
end
local function any_user() return random(0, USERS - 1) end
local function odd_user() return 2 * random(0, floor(USERS / 2) - 1) + 1 end

-- EventTime: the current time, rising (as in ingest.lua).
local second, in_second = 0, 0
local function event_time()
  local now = os.time()
  if now ~= second then second, in_second = now, 0 end
  in_second = in_second + 1
  return second * 1000 + math.min(999, floor(in_second / 10))
end

-- ---- Message bodies, as the SDKs send them: a pool built once, sizes from a few dozen bytes to about 3 KB. ----
local WORDS = {
  "ok", "thanks", "see", "you", "tomorrow", "the", "meeting", "is", "at", "three", "did", "get", "my", "message",
  "order", "shipped", "where", "are", "now", "lol", "sounds", "good", "let", "me", "check", "please", "call",
  "好的", "谢谢", "明天见", "收到", "在吗", "哈哈", "没问题", "稍等", "我到了", "一起吃饭吧",
}
local function words(bytes)
  local out, n = {}, 0
  while n < bytes do
    local w = WORDS[random(#WORDS)]
    out[#out + 1] = w
    n = n + #w + 1
  end
  return concat(out, " ")
end
local function text_elem(bytes)
  return format('{"MsgType":"TIMTextElem","MsgContent":{"Text":"%s"}}', words(bytes))
end
local function image_elem()
  local uuid = format("%08x%08x", random(0, 0x7fffffff), random(0, 0x7fffffff))
  local infos = {}
  for kind, scale in ipairs({ 1, 0.5, 0.1 }) do
    infos[kind] = format('{"Type":%d,"Size":%d,"Width":%d,"Height":%d,"URL":"https://im.example.com/%s/%d_%s.jpg?imageMogr2/thumbnail/%dx%d"}',
      kind, floor(1853095 * scale), floor(2448 * scale), floor(3264 * scale), uuid, kind, uuid, floor(2448 * scale), floor(3264 * scale))
  end
  return format('{"MsgType":"TIMImageElem","MsgContent":{"UUID":"%s","ImageFormat":1,"ImageInfoArray":[%s]}}', uuid, concat(infos, ","))
end
local function custom_elem(bytes)
  -- An app's own JSON carried as a string (an order card, a poll, a call record), escaped once more.
  local data = format('{\\"businessID\\":\\"order_card\\",\\"version\\":4,\\"title\\":\\"%s\\",\\"items\\":[%s]}',
    words(40), words(bytes):gsub("(%S+)", '{\\"name\\":\\"%1\\"}'):gsub(" ", ","))
  return format('{"MsgType":"TIMCustomElem","MsgContent":{"Data":"%s","Desc":"order","Ext":"","Sound":""}}', data)
end
local function msg_body()
  local r = random()
  if r < 0.60 then return "[" .. text_elem(random(4, 60)) .. "]" end                  -- a chat line
  if r < 0.75 then return "[" .. text_elem(random(60, 400)) .. "]" end                -- a paragraph
  if r < 0.87 then return "[" .. image_elem() .. "]" end                              -- a photo
  if r < 0.90 then return "[" .. text_elem(random(10, 40)) .. "," .. image_elem() .. "]" end
  if r < 0.98 then return "[" .. custom_elem(random(100, 1200)) .. "]" end            -- a custom card
  return "[" .. text_elem(random(1000, 3000)) .. "]"                                  -- a long text
end
local function cloud_custom_data()
  if random() < 0.6 then return "" end
  return format(',"CloudCustomData":"{\\"quote\\":%d,\\"entities\\":[]}"', random(0, 999999))
end

local POOL = 512
local bodies, customs = {}, {}
local function pick(pool) return pool[random(#pool)] end

-- ---- One builder per command: returns (query string's CallbackCommand, body). ----
local builders = {}
local counter = 0
local recent = {}     -- this thread's recent official-account messages, for withdrawals: { account, key }
local RECENT = 256

local PLATFORMS = { "Android", "iOS", "Web", "Windows", "Mac", "iPad" }

builders["C2C.CallbackAfterSendMsg"] = function(now, t)
  local seq, rand = counter, random(0, 0xffffff) * 32 + stream
  return format('{"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":"%d","To_Account":"%d","MsgSeq":%d,'
    .. '"MsgRandom":%d,"MsgTime":%d,"MsgKey":"%d_%d_%d","OnlineOnlyFlag":0,"SendMsgResult":0,'
    .. '"ErrorInfo":"send msg succeed","UnreadMsgNum":%d,"MsgBody":%s%s,"EventTime":%d}',
    any_user(), any_user(), seq, rand, t, seq, rand, t, random(0, 20), pick(bodies), pick(customs), now)
end
builders["Group.CallbackAfterSendMsg"] = function(now, t)
  local rand = random(0, 0xffffff) * 32 + stream
  local group = zipf(GROUPS)
  return format('{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#%d","Type":"%s","From_Account":"%d",'
    .. '"Operator_Account":"","Random":%d,"MsgId":"%d-%d-%d","MsgSeq":%d,"MsgTime":%d,"OnlineOnlyFlag":0,'
    .. '"MsgBody":%s%s,"EventTime":"%d"}',
    group, group % 5 == 0 and "Public" or "Work", any_user(), rand, group, t, rand, counter, t, pick(bodies), pick(customs), now)
end
local STATES = { { "Login", "Register" }, { "Login", "Register" }, { "Logout", "Unregister" }, { "Disconnect", "LinkClose" }, { "Disconnect", "TimeOut" } }
builders["State.StateChange"] = function(now)
  local state = STATES[random(#STATES)]
  local kicked = ""
  if state[1] == "Login" and random() < 0.1 then kicked = ',"KickedDevice":[{"Platform":"' .. PLATFORMS[random(#PLATFORMS)] .. '"}]' end
  return format('{"CallbackCommand":"State.StateChange","EventTime":%d,"Info":{"Action":"%s","To_Account":"%d","Reason":"%s"}%s}',
    now, state[1], unique_user(), state[2], kicked)
end
builders["C2C.CallbackAfterMsgReport"] = function(now, t)
  return format('{"CallbackCommand":"C2C.CallbackAfterMsgReport","Report_Account":"%d","Peer_Account":"%d","LastReadTime":%d,"UnreadMsgNum":0,"EventTime":%d}',
    unique_user(), any_user(), t, now)
end
local function members()
  local n = random() < 0.8 and 1 or random(2, 20)
  local out = { format('{"Member_Account":"%d"}', unique_user()) }
  for i = 2, n do out[i] = format('{"Member_Account":"%d"}', odd_user()) end
  return concat(out, ",")
end
builders["Group.CallbackAfterNewMemberJoin"] = function(now)
  return format('{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"@TGS#%d","Type":"Public","JoinType":"Apply",'
    .. '"Operator_Account":"%d","NewMemberList":[%s],"EventTime":"%d"}', zipf(GROUPS), any_user(), members(), now)
end
builders["Group.CallbackAfterMemberExit"] = function(now)
  return format('{"CallbackCommand":"Group.CallbackAfterMemberExit","GroupId":"@TGS#%d","Type":"Public","ExitType":"Quit",'
    .. '"Operator_Account":"%d","ExitMemberList":[%s],"EventTime":"%d"}', zipf(GROUPS), any_user(), members(), now)
end
builders["Sns.CallbackFriendAdd"] = function(now)
  local from = unique_user()
  return format('{"CallbackCommand":"Sns.CallbackFriendAdd","PairList":[{"From_Account":"%d","To_Account":"%d","Initiator_Account":"%d"},'
    .. '{"From_Account":"%d","To_Account":"%d","Initiator_Account":"%d"}],"ClientCmd":"friend_add","Admin_Account":"","ForceFlag":0,"EventTime":%d}',
    from, any_user(), from, from, any_user(), from, now)
end
builders["Profile.CallbackPortraitSet"] = function(now)
  local user = unique_user()
  return format('{"CallbackCommand":"Profile.CallbackPortraitSet","Operator_Account":"%d","From_Account":"%d","EventTime":%d,'
    .. '"ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"%s"},{"Tag":"Tag_Profile_IM_Image","Value":"https://im.example.com/avatar/%d.png"}]}',
    user, user, now, words(12), user)
end
builders["C2C.CallbackAfterMsgWithDraw"] = function(now, t)
  local seq, rand = counter, random(0, 0xffffff) * 32 + stream
  return format('{"CallbackCommand":"C2C.CallbackAfterMsgWithDraw","From_Account":"%d","To_Account":"%d","MsgKey":"%d_%d_%d","UnreadMsgNum":%d,"EventTime":%d}',
    any_user(), any_user(), seq, rand, t - random(0, 110), random(0, 5), now)
end
builders["Group.CallbackAfterRecallMsg"] = function(now, t)
  return format('{"CallbackCommand":"Group.CallbackAfterRecallMsg","Operator_Account":"%d","Type":"Public","GroupId":"@TGS#%d",'
    .. '"MsgSeqList":[{"MsgSeq":%d,"MsgId":"%d-%d-%d"}],"EventTime":"%d"}',
    any_user(), zipf(GROUPS), counter, stream, t, random(0, 0x7fffffff), now)
end

-- The official-account family. Accounts are drawn from ACCOUNTS with the Zipf-like skew (a few popular accounts send
-- and gain most); create, destroy and "full" name a new account each time, since each happens once to an account.
local function popular_account() return format("@TOA#_%d", zipf(ACCOUNTS)) end
local function new_account() return format("@TOA#_%s_%d_%d", run, stream, counter) end
local function owner() return 100000 + zipf(OWNERS) end
local function subscribers()
  -- Most subscribe events are one user following; some are an operator's batch, up to Tencent's 100 a call.
  local n = random() < 0.7 and 1 or floor(2 + 98 * random() ^ 3)
  local out = { format('{"Subscriber_Account":"%d"}', unique_user()) }
  for i = 2, n do out[i] = format('{"Subscriber_Account":"%d"}', odd_user()) end
  return concat(out, ",")
end
local function client_id() return format('"{\\"clientMsgId\\":\\"%d-%d-%d\\"}"', LANE, id, counter) end

builders["OfficialAccount.CallbackBeforeSendMsg"] = function(now)
  return format('{"CallbackCommand":"OfficialAccount.CallbackBeforeSendMsg","Official_Account":"%s","OnlineOnlyFlag":0,'
    .. '"MsgBody":%s,"CloudCustomData":%s,"EventTime":%d}', popular_account(), pick(bodies), client_id(), now)
end
builders["OfficialAccount.CallbackAfterSendMsg"] = function(now, t)
  local account = popular_account()
  local key = format("%d_%d_%d", counter, random(0, 0xffffff) * 32 + stream, t)
  recent[(counter % RECENT) + 1] = { account, key }
  return format('{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","Official_Account":"%s","MsgKey":"%s","MsgTime":%d,'
    .. '"OnlineOnlyFlag":0,"MsgBody":%s,"CloudCustomData":%s,"EventTime":%d}', account, key, t, pick(bodies), client_id(), now)
end
builders["OfficialAccount.CallbackAfterMsgWithDraw"] = function(now, t)
  -- One of this thread's recent messages, now and then with one or two older ones of the same account (a key no
  -- send of this run had: withdrawn before its send arrives, which the state allows).
  local slot = random(RECENT)
  local entry = recent[slot]
  recent[slot] = nil
  local account = entry and entry[1] or popular_account()
  local keys = { format('{"MsgKey":"%s"}', entry and entry[2] or format("%d_%d_%d", counter, stream, t)) }
  if random() < 0.1 then
    for i = 2, random(2, 3) do keys[i] = format('{"MsgKey":"%d_%d_%d"}', counter, i * 32 + stream, t - 3600) end
  end
  return format('{"CallbackCommand":"OfficialAccount.CallbackAfterMsgWithDraw","Official_Account":"%s","WithdrawMsgList":[%s],"EventTime":%d}',
    account, concat(keys, ","), now)
end
builders["OfficialAccount.CallbackBeforeAddSubscriber"] = function(now)
  return format('{"CallbackCommand":"OfficialAccount.CallbackBeforeAddSubscriber","Official_Account":"%s","Operator_Account":"admin",'
    .. '"SubscribeAccountList":[%s],"EventTime":%d}', popular_account(), subscribers(), now)
end
builders["OfficialAccount.CallbackAfterAddSubscriber"] = function(now)
  return format('{"CallbackCommand":"OfficialAccount.CallbackAfterAddSubscriber","Official_Account":"%s","Operator_Account":"admin",'
    .. '"SubscribeAccountList":[%s],"EventTime":%d}', popular_account(), subscribers(), now)
end
builders["OfficialAccount.CallbackAfterDeleteSubscriber"] = function(now)
  return format('{"CallbackCommand":"OfficialAccount.CallbackAfterDeleteSubscriber","Official_Account":"%s","Operator_Account":"admin",'
    .. '"SubscribeAccountList":[%s],"EventTime":%d}', popular_account(), subscribers(), now)
end
builders["OfficialAccount.CallbackAfterOfficialAccountInfoChanged"] = function(now)
  return format('{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountInfoChanged","Official_Account":"%s",'
    .. '"Operator_Account":"admin","Introduction":"%s","Name":"%s","FaceUrl":"https://im.example.com/oa/%d-%d.png",'
    .. '"Organization":"%s","EventTime":%d}', popular_account(), words(random(20, 200)), words(12), stream, counter, words(16), now)
end
builders["OfficialAccount.CallbackBeforeCreateOfficialAccount"] = function(now)
  local o = owner()
  return format('{"CallbackCommand":"OfficialAccount.CallbackBeforeCreateOfficialAccount","Operator_Account":"admin",'
    .. '"Owner_Account":"%d","Name":"Account %d-%d-%d","EventTime":%d}', o, LANE, id, counter, now)
end
builders["OfficialAccount.CallbackAfterCreateOfficialAccount"] = function(now)
  return format('{"CallbackCommand":"OfficialAccount.CallbackAfterCreateOfficialAccount","Official_Account":"%s",'
    .. '"Operator_Account":"admin","Owner_Account":"%d","Name":"%s","EventTime":%d}', new_account(), owner(), words(12), now)
end
builders["OfficialAccount.CallbackAfterOfficialAccountFull"] = function(now)
  return format('{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountFull","Official_Account":"%s","EventTime":%d}',
    new_account(), now)
end
builders["OfficialAccount.CallbackAfterOfficialAccountDestroyed"] = function(now)
  return format('{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountDestroyed","Official_Account":"%s",'
    .. '"Owner_Account":"%d","Name":"%s","EventTime":%d}', new_account(), owner(), words(12), now)
end

local schedule, paths, headers

local function shares()
  local spec = os.getenv("BENCH_MIX")
  if not spec or spec == "" then return SHARES end
  local list = {}
  for command, weight in spec:gmatch("([%w%.]+)=([%d%.]+)") do list[#list + 1] = { command, tonumber(weight) } end
  return list
end

function init(args)
  run = args[1] or "run"
  app = args[2] or "1400000000"
  assert(LANE >= 0 and LANE < 4 and id <= 8, "mix.lua: at most 4 lanes of 8 threads")
  stream = LANE * 8 + id - 1
  math.randomseed(os.time() * 1000 + stream)
  headers = { ["Content-Type"] = "application/json" }
  for i = 1, POOL do
    bodies[i] = msg_body()
    customs[i] = cloud_custom_data()
  end

  -- The schedule: SCHEDULE slots, each command's count in proportion to its weight (largest remainder), shuffled.
  local list, total = shares(), 0
  for _, share in ipairs(list) do
    assert(builders[share[1]], "mix.lua cannot build " .. share[1])
    total = total + share[2]
  end
  local counts, given, rest = {}, 0, {}
  for i, share in ipairs(list) do
    local exact = share[2] * SCHEDULE / total
    counts[i] = floor(exact)
    given = given + counts[i]
    rest[#rest + 1] = { i, exact - counts[i] }
  end
  table.sort(rest, function(a, b) return a[2] > b[2] end)
  for k = 1, SCHEDULE - given do counts[rest[k][1]] = counts[rest[k][1]] + 1 end
  schedule = {}
  for i, share in ipairs(list) do
    for _ = 1, counts[i] do schedule[#schedule + 1] = share[1] end
  end
  for i = #schedule, 2, -1 do
    local j = random(i)
    schedule[i], schedule[j] = schedule[j], schedule[i]
  end

  -- One query string per command and platform: messages and state come from the users' devices, the official
  -- accounts' callbacks from the REST API.
  local sign = (args[3] and args[4]) and ("&RequestTime=" .. args[3] .. "&Sign=" .. args[4]) or ""
  paths = {}
  for _, share in ipairs(list) do
    local command, variants = share[1], {}
    local platforms = command:find("^OfficialAccount") and { "RESTAPI" } or PLATFORMS
    for k, platform in ipairs(platforms) do
      if command == "State.StateChange" and platform == "iOS" then platform = "IOS" end -- as Tencent sends it (34354)
      variants[k] = format("/webhook?SdkAppid=%s&CallbackCommand=%s&contenttype=json&ClientIP=10.%d.%d.%d&OptPlatform=%s%s",
        app, command, random(0, 255), random(0, 255), random(1, 254), platform, sign)
    end
    paths[command] = variants
  end
  sent = 0
  ok = 0
end

function request()
  counter = counter + 1
  sent = counter
  local command = schedule[(counter % SCHEDULE) + 1]
  local now = event_time()
  local body = builders[command](now, floor(now / 1000))
  return wrk.format("POST", pick(paths[command]), headers, body)
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
  io.write(format(
    "RESULT requests=%d duration_us=%d sent=%d ok=%d non2xx=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p99_us=%d p999_us=%d\n",
    summary.requests, summary.duration, total_sent, total_ok, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
