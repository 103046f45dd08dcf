-- @PAGE@: a wrk script for the peer quiz app, written by bench/peer/load.py from bench/peer/wrk.lua.
-- "question": GET the quiz's question page, cycling over the signed-in users.
-- "answering": POST an answer to each user's current question (the app then renders the next question,
-- or the result after the last one), each user's answers in their sitting's order. Each wrk thread takes
-- its own users (so no user has two answers in flight), and each run starts every user on a fresh sitting
-- (peer_reset.sql, beside this script).
local mode = @MODE@
local path = @PATH@
local reset = @RESET@
local users = {
  @USERS@
}
local thread_id = 0
local threads = {}

function setup(thread)
  if mode == "answering" and thread_id == 0 then
    -- Before any thread starts: the answers below follow each sitting from its first question, so every
    -- user starts on a fresh sitting (one each, as load.py left them).
    local status = os.execute(reset)
    if status ~= 0 and status ~= true then error("@PAGE@: could not reset the sittings: " .. reset) end
  end
  thread:set("id", thread_id)
  thread_id = thread_id + 1
  table.insert(threads, thread)
end

-- wrk's -t (the threads share the users out), read from its command line; wrk's default is 2.
local function thread_count()
  local f = assert(io.open("/proc/self/cmdline", "rb"))
  local args = {}
  for a in f:read("*a"):gmatch("%Z+") do args[#args + 1] = a end
  f:close()
  for i, a in ipairs(args) do
    local n = a:match("^%-t(%d+)$") or a:match("^%-%-threads=(%d+)$")
    if n then return tonumber(n) end
    if (a == "-t" or a == "--threads") and args[i + 1] then return tonumber(args[i + 1]) end
  end
  return 2
end

local mine = users
local counter = 0
-- wrk calls request() once on its first thread before the run, only to check what it returns
-- (script_verify_request in wrk's src/wrk.c): that call must not move a user on to the next question.
local checking = false
function init(args)
  if mode == "answering" then
    checking = id == 0
    local count = thread_count()
    mine = {}
    for u = id + 1, #users, count do mine[#mine + 1] = users[u] end
    assert(#mine > 0, "@PAGE@: more wrk threads than users")
  else
    counter = id * 7919
  end
end

function request()
  if not checking then counter = counter + 1 end
  local u = mine[(counter % #mine) + 1]
  local headers = { ["Cookie"] = u.cookie, ["Host"] = "127.0.0.1" }
  if mode == "answering" then
    local body = u.bodies[(u.pos % @QUESTIONS@) + 1]
    if checking then checking = false else u.pos = u.pos + 1 end
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Referer"] = "http://127.0.0.1/"
    return wrk.format("POST", path, headers, body)
  end
  return wrk.format("GET", path, headers)
end

-- A response under 400 that is not the expected page counts as an error too: a redirect, or an answer
-- the app did not take (it then shows the same question again, with no "previous question" part).
local expected = mode == "answering" and "The previous question" or 'name="answers"'
wrong = 0
function response(status, headers, body)
  if status < 400 and (status ~= 200 or not body:find(expected, 1, true)) then wrong = wrong + 1 end
end

function done(summary, latency, requests)
  local e = summary.errors
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + (thread:get("wrong") or 0) end
  io.write(string.format('{"page": "@PAGE@", "requests": %d, "seconds": %.3f, "errors": %d, ',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.status + e.timeout + bad))
  io.write(string.format('"p50": %.2f, "p95": %.2f, "p99": %.2f}\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
