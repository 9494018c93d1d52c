-- wrk script for benchmarks.inbound: replays pre-signed webhook bodies, each MessageSid once.
-- Usage: wrk ... -s _wrk.lua URL -- REQUESTS_FILE THREADS
-- Each line of REQUESTS_FILE is "<X-Twilio-Signature>\t<form body>"; thread k takes lines k, k+THREADS, ...
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local path, count = args[1], tonumber(args[2])
  requests, index, wrapped = {}, 0, 0
  local line_number = 0
  for line in io.lines(path) do
    if line_number % count == id then
      local signature, body = line:match("^([^\t]*)\t(.*)$")
      requests[#requests + 1] = wrk.format("POST", "/sms/inbound", {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["X-Twilio-Signature"] = signature,
      }, body)
    end
    line_number = line_number + 1
  end
end

function request()
  index = index + 1
  if index > #requests then
    index, wrapped = 1, wrapped + 1
  end
  return requests[index]
end

function done(summary, latency, _)
  local wraps = 0
  for _, thread in ipairs(threads) do
    wraps = wraps + (thread:get("wrapped") or 0)
  end
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, summary.duration, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99), wraps))
end
