-- SPDX-License-Identifier: Apache-2.0
-- lookup.lua — wrk script: key lookups on random keys from $FERRY_BENCH_KEYS (one per line),
-- paced by $FERRY_BENCH_DELAY_MS per connection (0: as fast as possible). Bounded: wrk's -d.
local keys = {}
local api_key = os.getenv("FERRY_BENCH_API_KEY")
local dataset = os.getenv("FERRY_BENCH_DATASET")
local delay_ms = tonumber(os.getenv("FERRY_BENCH_DELAY_MS") or "0")

for line in io.lines(os.getenv("FERRY_BENCH_KEYS")) do
    keys[#keys + 1] = line
end

local counter = 0
request = function()
    counter = counter + 1
    local key = keys[(counter * 7919) % #keys + 1]
    return wrk.format("GET", "/v1/datasets/" .. dataset .. "/records/" .. key,
                      {["Authorization"] = "Bearer " .. api_key})
end

if delay_ms > 0 then
    delay = function()
        return delay_ms
    end
end

done = function(summary, latency, requests)
    io.write(string.format("RESULT requests=%d duration_us=%d errors_status=%d errors_connect=%d " ..
                           "errors_read=%d errors_write=%d errors_timeout=%d p50_us=%d p90_us=%d " ..
                           "p99_us=%d p999_us=%d max_us=%d\n",
        summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
        summary.errors.read, summary.errors.write, summary.errors.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99),
        latency:percentile(99.9), latency.max))
end
