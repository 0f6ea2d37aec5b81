-- wrk's side of bench/load.ts. Arguments after `--`: METHOD [BODY]. "[<id>]" in BODY becomes
-- an id unique to each request, as with autocannon's --idReplacement, so that the forum's
-- double-submit guard sees a new reply every time. Prints one JSON line when done.

local threads_started = 0

function setup(thread)
  threads_started = threads_started + 1
  thread:set("thread_number", threads_started)
end

function init(args)
  wrk.method = args[1] or "GET"
  body_template = args[2]
  prefix = thread_number .. "-" .. os.time() .. "-"
  counter = 0
  fixed_request = wrk.format()
end

function request()
  if body_template == nil then
    return fixed_request
  end
  counter = counter + 1
  local body = body_template:gsub("%[<id>%]", prefix .. counter)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"p99Us":%d,"statusErrors":%d,"socketErrors":%d,"timeouts":%d}\n',
    summary.requests, summary.duration, latency:percentile(99), e.status,
    e.connect + e.read + e.write, e.timeout))
end
