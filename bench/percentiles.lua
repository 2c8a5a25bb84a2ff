-- wrk prints p50/p95/p99 latency (ms), requests/s and failed requests as one JSON line, for bench/run.py.
-- gunicorn's sync workers close the connection after each reply, which wrk counts as a read error and
-- reconnects: that is how the server works, not a failure, so only bad statuses and timeouts are failures.
done = function(summary, latency, requests)
  io.write(string.format('{"p50": %.3f, "p95": %.3f, "p99": %.3f, "rps": %.1f, "errors": %d}\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.errors.status + summary.errors.timeout))
end
