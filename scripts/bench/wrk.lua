-- wrk script for `npm run bench`. PV_MODE=post sends NPS answers, each from a fresh
-- visitor with a fresh idempotency key; PV_MODE=get sends GETs. PV_SPREAD=1 sends each
-- request from a random client address (CF-Connecting-IP, which Cloudflare's edge sets
-- and local workerd takes as given), as from many visitors. PV_ORIGIN is the page
-- origin to send, PV_AUTHORIZATION an optional Authorization header. Prints one line,
-- PV_RESULT {json}, with the answers counted by status and the latency percentiles.
local threads = {}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  wrk.headers["origin"] = os.getenv("PV_ORIGIN")
  if os.getenv("PV_AUTHORIZATION") then
    wrk.headers["authorization"] = os.getenv("PV_AUTHORIZATION")
  end
end

local function id()
  return string.format("%08x%08x%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff),
    math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
end

local function address()
  return string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(0, 255))
end

function request()
  -- wrk.format takes these headers instead of wrk.headers, not in addition.
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  if os.getenv("PV_SPREAD") == "1" then
    headers["cf-connecting-ip"] = address()
  end
  if os.getenv("PV_MODE") ~= "post" then
    return wrk.format("GET", nil, headers)
  end
  counter = counter + 1
  local body = string.format('{"score":%d,"visitor_id":"%s","idempotency_key":"%s"}', counter % 11, id(), id())
  headers["content-type"] = "application/json"
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(totals) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('PV_RESULT {"statuses":{%s},"p50":%f,"p99":%f,"requests":%d,"seconds":%f,"socket_errors":%d}\n',
    table.concat(parts, ","), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.duration / 1e6, errors))
end
