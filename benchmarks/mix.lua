-- wrk script of `make bench`: every request is drawn at random from a file of paths (one per line; thousands
-- of distinct filters, sort orders, pages and ids), so that no two requests need be alike and no response
-- cache could answer them. At the end, one line "WRK_JSON {…}" with the request count, the duration and the
-- latency percentiles (microseconds) that benchmarks/results.py reads.
-- Usage: wrk … -s benchmarks/mix.lua <url> -- <paths file>. Headers (cookie, token) come from -H options.

local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
end

init = function(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    error("no paths in " .. tostring(args[1]))
  end
  math.randomseed(os.time() * 1000 + (id or 0))
end

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, "p95_us": %d, '
    .. '"p99_us": %d, "mean_us": %.1f, "max_us": %d, "errors_connect": %d, "errors_read": %d, '
    .. '"errors_write": %d, "errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
