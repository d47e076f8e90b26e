-- wrk script for bench/resolve.sh: checks every response and, when the run ends, prints one
-- machine-readable line with throughput, latency percentiles and error counts.
--
--   wrk -t2 -c64 -d15s --timeout 10s -s bench/wrk-stats.lua URL -- '<text every 2xx body must contain>'
--
-- Output (one line, latencies in milliseconds):
--   BENCH requests=N duration_s=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. non2xx=N bad_body=N
--         connect=N read=N write=N timeout=N
--   BENCH_SAMPLE <status> <first 300 characters of the first unexpected response>   (only if there was one)

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   expected = args[1] or ""
   non2xx = 0
   bad_body = 0
   sample = ""
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   elseif expected ~= "" and not string.find(body or "", expected, 1, true) then
      bad_body = bad_body + 1
   else
      return
   end
   if sample == "" then
      sample = tostring(status) .. " " .. string.sub(body or "", 1, 300)
   end
end

function done(summary, latency, requests)
   local total_non2xx, total_bad, first_sample = 0, 0, ""
   for _, thread in ipairs(threads) do
      total_non2xx = total_non2xx + (tonumber(thread:get("non2xx")) or 0)
      total_bad = total_bad + (tonumber(thread:get("bad_body")) or 0)
      local s = thread:get("sample")
      if first_sample == "" and s ~= nil and s ~= "" then
         first_sample = s
      end
   end
   -- wrk itself counts status >= 400 as "Non-2xx or 3xx responses"; ours is stricter (anything not 2xx)
   if summary.errors.status > total_non2xx then
      total_non2xx = summary.errors.status
   end
   local seconds = summary.duration / 1e6
   local rps = 0
   if seconds > 0 then
      rps = summary.requests / seconds
   end
   io.write(string.format(
      "BENCH requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f"
         .. " non2xx=%d bad_body=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, seconds, rps,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000,
      total_non2xx, total_bad,
      summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
   if first_sample ~= "" then
      io.write("BENCH_SAMPLE " .. (string.gsub(first_sample, "[\r\n]+", " ")) .. "\n")
   end
end
