-- wrk script for scripts/load_test.sh: every request is a signed-in GET of a role page, cycling through
-- the lines "<cookie> <path>" of $LOAD_TARGETS; the summary is printed as "key value" lines.
local targets = {}
for line in io.lines(os.getenv("LOAD_TARGETS")) do
  local cookie, path = line:match("^(%S+) (%S+)$")
  if cookie then table.insert(targets, { cookie, path }) end
end
local counter = math.random(#targets)

request = function()
  counter = counter + 1
  local target = targets[(counter % #targets) + 1]
  return wrk.format("GET", target[2], { ["Cookie"] = target[1] })
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format("requests %d\nseconds %.1f\nthroughput_per_s %.1f\n", summary.requests, seconds, summary.requests / seconds))
  io.write(string.format("p50_ms %.1f\np95_ms %.1f\np99_ms %.1f\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
  io.write(string.format("errors_status %d\nerrors_connect %d\nerrors_read %d\nerrors_write %d\nerrors_timeout %d\n", errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
