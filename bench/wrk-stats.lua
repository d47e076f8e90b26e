-- wrk script for bench/resolve.sh, bench/auth.sh and bench/todos.sh: checks every response and, when the run ends, prints one
-- machine-readable line with throughput, latency percentiles and error counts.
--
--   wrk -t2 -c64 -d15s --timeout 10s -s bench/wrk-stats.lua URL -- '<text every 2xx body must contain>' [option...]
--
-- Options, one argument each (without any, every request is wrk's plain GET, built once):
--   method=POST         the request method
--   body=TEXT           the request body, sent as application/json
--   save=PREFIX         append "<access_token> <refresh_token>" of every 2xx token response to PREFIX.<thread>
--   tokens=PREFIX       send "Authorization: Bearer <t>" for each token t (first field of a line) of
--                       PREFIX.<thread>, each one once; when they have run out, the last one is sent again and
--                       counted as reused
--   refresh=PREFIX      POST {"refresh_token":"<r>"}: start with the refresh tokens (second field of a line) of
--                       PREFIX.<thread>, use each one once and go on with the one every answer brings
--   forge=TOKEN         send "Authorization: Bearer <TOKEN with a different, wrong signature every time>": each one
--                       is new to the server, which checks its signature in full and answers 401
--   status=N            every response must have status N (default: any 2xx); others count as non2xx
--   mix=PATH            create-then-read: POST body (see body=) to PATH; every 201 queues the created "id", and
--                       the next request of the thread GETs PATH/<id> instead of creating; counts the 201s
-- <thread> is 1 .. wrk's -t. Fixed headers go on wrk's command line (-H).
--
-- Output (one line, latencies in milliseconds):
--   BENCH requests=N duration_s=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. non2xx=N bad_body=N
--         connect=N read=N write=N timeout=N reused=N saved=N created=N
--   BENCH_SAMPLE <status> <first 300 characters of the first unexpected response>   (only if there was one)

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_index", #threads)
end

local function lines_of(prefix, field) -- the given field (1 or 2) of every line of PREFIX.<thread>
   local list = {}
   local file = io.open(prefix .. "." .. thread_index, "r")
   if file == nil then
      return list
   end
   for line in file:lines() do
      local first, second = string.match(line, "^(%S+)%s*(%S*)")
      local value = (field == 1) and first or second
      if value ~= nil and value ~= "" then
         table.insert(list, value)
      end
   end
   file:close()
   return list
end

local function token_requests(prefix) -- a request() that sends each token once
   local tokens, next_token = lines_of(prefix, 1), 1
   local headers = {}
   for name, value in pairs(wrk.headers) do
      headers[name] = value
   end
   return function()
      local token = tokens[next_token]
      if token == nil then
         reused = reused + 1
         token = tokens[#tokens] or "none"
      else
         next_token = next_token + 1
      end
      headers["Authorization"] = "Bearer " .. token
      return wrk.format(nil, nil, headers)
   end
end

local function refresh_requests(prefix) -- a request() that spends refresh tokens; response() queues the new ones
   refresh_queue = lines_of(prefix, 2)
   refresh_first, refresh_last = 1, #refresh_queue
   return function()
      local token = refresh_queue[refresh_first]
      if token ~= nil then
         refresh_queue[refresh_first] = nil
         refresh_first = refresh_first + 1
      end
      -- none left (every chain broke): the server's 401 is counted as non-2xx
      return wrk.format("POST", nil, nil, '{"refresh_token":"' .. (token or "none") .. '"}')
   end
end

local B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

local function forged_requests(token) -- a request() that sends token with a new wrong signature each time
   local signed, signature = string.match(token, "^(.+%.)(.+)$")
   local headers, n = {}, thread_index * 2 ^ 36
   for name, value in pairs(wrk.headers) do
      headers[name] = value
   end
   return function()
      -- the first 48 bits of r (big-endian): "A" (zero bits, so r stays below the group order) and a counter
      n = n + 1
      local digits, v = {}, n
      for i = 7, 1, -1 do
         local d = v % 64
         digits[i] = string.sub(B64URL, d + 1, d + 1)
         v = (v - d) / 64
      end
      headers["Authorization"] = "Bearer " .. signed .. "A" .. table.concat(digits) .. string.sub(signature, 9)
      return wrk.format(nil, nil, headers)
   end
end

local function mix_requests(path) -- a request() that reads back what the last creates made, else creates
   created_ids = {}
   local get_headers = {}
   for name, value in pairs(wrk.headers) do
      if name ~= "Content-Type" then
         get_headers[name] = value
      end
   end
   return function()
      local id = table.remove(created_ids)
      if id ~= nil then
         return wrk.format("GET", path .. "/" .. id, get_headers, "") -- "": nil would mean wrk.body
      end
      return wrk.format("POST", path)
   end
end

function init(args)
   expected = args[1] or ""
   non2xx = 0
   bad_body = 0
   reused = 0
   saved = 0
   created = 0
   sample = ""
   for i = 2, #args do
      local name, value = string.match(args[i], "^([%a_]+)=(.*)$")
      if name == "method" then
         wrk.method = value
      elseif name == "body" then
         wrk.body = value
         wrk.headers["Content-Type"] = "application/json"
      elseif name == "save" then
         save_file = assert(io.open(value .. "." .. thread_index, "a"))
         save_file:setvbuf("line") -- the caller counts the lines while wrk runs
      elseif name == "tokens" then
         request = token_requests(value) -- wrk decides per run whether request() exists
      elseif name == "forge" then
         request = forged_requests(value)
      elseif name == "status" then
         expected_status = tonumber(value)
      elseif name == "mix" then
         wrk.method = "POST"
         request = mix_requests(value)
      elseif name == "refresh" then
         wrk.headers["Content-Type"] = "application/json"
         request = refresh_requests(value)
      else
         error("wrk-stats.lua: unknown option '" .. args[i] .. "'")
      end
   end
end

function response(status, headers, body)
   if (expected_status == nil and (status < 200 or status > 299)) or (expected_status ~= nil and status ~= expected_status) then
      non2xx = non2xx + 1
   elseif expected ~= "" and not string.find(body or "", expected, 1, true) then
      bad_body = bad_body + 1
   else
      if status == 201 then
         created = created + 1
         if created_ids ~= nil then
            local id = string.match(body, '"id":"([^"]+)"')
            if id ~= nil then
               table.insert(created_ids, id)
            end
         end
      end
      if save_file ~= nil or refresh_queue ~= nil then
         local access = string.match(body, '"access_token":"([^"]+)"')
         local refresh = string.match(body, '"refresh_token":"([^"]+)"')
         if refresh_queue ~= nil and refresh ~= nil then
            refresh_last = refresh_last + 1
            refresh_queue[refresh_last] = refresh
         end
         if save_file ~= nil and access ~= nil and refresh ~= nil then
            save_file:write(access, " ", refresh, "\n")
            saved = saved + 1
         end
      end
      return
   end
   if sample == "" then
      sample = tostring(status) .. " " .. string.sub(body or "", 1, 300)
   end
end

function done(summary, latency, requests)
   local total_non2xx, total_bad, total_reused, total_saved, total_created, first_sample = 0, 0, 0, 0, 0, ""
   for _, thread in ipairs(threads) do
      total_non2xx = total_non2xx + (tonumber(thread:get("non2xx")) or 0)
      total_bad = total_bad + (tonumber(thread:get("bad_body")) or 0)
      total_reused = total_reused + (tonumber(thread:get("reused")) or 0)
      total_saved = total_saved + (tonumber(thread:get("saved")) or 0)
      total_created = total_created + (tonumber(thread:get("created")) or 0)
      local s = thread:get("sample")
      if first_sample == "" and s ~= nil and s ~= "" then
         first_sample = s
      end
   end
   -- wrk itself counts status >= 400 as "Non-2xx or 3xx responses"; ours is stricter (anything not 2xx), unless
   -- the run expects one status (status=N)
   local wanted = threads[1] and threads[1]:get("expected_status")
   if wanted == nil and summary.errors.status > total_non2xx then
      total_non2xx = summary.errors.status
   end
   local seconds = summary.duration / 1e6
   local rps = 0
   if seconds > 0 then
      rps = summary.requests / seconds
   end
   io.write(string.format(
      "BENCH requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f"
         .. " non2xx=%d bad_body=%d connect=%d read=%d write=%d timeout=%d reused=%d saved=%d created=%d\n",
      summary.requests, seconds, rps,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000,
      total_non2xx, total_bad,
      summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
      total_reused, total_saved, total_created))
   if first_sample ~= "" then
      io.write("BENCH_SAMPLE " .. (string.gsub(first_sample, "[\r\n]+", " ")) .. "\n")
   end
end
