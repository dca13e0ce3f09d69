-- wrk script for bench/run.sh. Arguments (after `--`):
--   PATH               request this path on every request (a cached route)
--   @IDS_FILE PATTERN  request PATTERN with {id} replaced by a random line of
--                      IDS_FILE and {year} by a random year, so that
--                      responses are (almost) never in the server's cache
-- Every request carries the Authorization header passed with -H.
-- At the end prints one line: RESULT <requests/s> <p50 us> <p99 us> <errors>
local path, ids, pattern = "/", nil, nil

function init(args)
  if args[1] and args[1]:sub(1, 1) == "@" then
    ids = {}
    for line in io.lines(args[1]:sub(2)) do
      if #line > 0 then ids[#ids + 1] = line end
    end
    pattern = args[2]
    math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  elseif args[1] then
    path = args[1]
  end
end

function request()
  if ids then
    local p = pattern:gsub("{id}", ids[math.random(#ids)]):gsub("{year}", tostring(math.random(1890, 2020)))
    return wrk.format("GET", p)
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT %.1f %.1f %.1f %d\n", summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), errors))
end
