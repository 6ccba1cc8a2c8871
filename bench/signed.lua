-- wrk script: replay signed Twilio-like requests from the file in env BENCH_REQUESTS,
-- one per line: path <TAB> signature <TAB> urlencoded body. Each thread starts at its own offset.
local requests, index = {}, 0
local counter = 0

function setup(thread)
  thread:set("offset", counter * 7)
  counter = counter + 1
end

function init(args)
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local path, signature, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Twilio-Signature"] = signature,
      ["User-Agent"] = "TwilioProxy/1.1",
    }, body)
  end
  index = offset or 0
end

function request()
  index = index % #requests + 1
  return requests[index]
end

function done(summary, latency, requests)
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
