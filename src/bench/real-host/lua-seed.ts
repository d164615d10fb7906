// The peer a user would write instead of kql-edge for the seed rule: a Fluent Bit `filter_lua`
// function doing the same query and the same 7-day new-terms history on kubernetes.audit.userAgent,
// with the module's event-time order for raw audit events (stageTimestamp, requestReceivedTimestamp,
// timestamp, then the record time). Written to be fast in LuaJIT: plain string tests, no patterns on
// the common path, return 0 (record unchanged, nothing re-encoded) for every record it does not tag.
// The benchmark checks that it tags exactly the records the seed module tags.
export const LUA_SEED_FUNCTION = 'kql_seed';

export const LUA_SEED_SOURCE = String.raw`
local seen = {}
local WINDOW_MS = 7 * 24 * 3600 * 1000
local SA = "system:serviceaccount:"
local find, sub = string.find, string.sub

local function prefix(s, p) return sub(s, 1, #p) == p end

local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

local function parse_ms(s)
  if type(s) ~= "string" then return nil end
  local y, mo, d, h, mi, se, rest = s:match("^(%d%d%d%d)-(%d%d)-(%d%d)T(%d%d):(%d%d):(%d%d)(.*)$")
  if not y then return nil end
  local ms = 0
  local frac, tail = rest:match("^%.(%d+)(.*)$")
  if frac then ms = tonumber(sub(frac .. "00", 1, 3)); rest = tail end
  if rest ~= "Z" then return nil end
  return ((days_from_civil(tonumber(y), tonumber(mo), tonumber(d)) * 24 + tonumber(h)) * 60 + tonumber(mi)) * 60000 + tonumber(se) * 1000 + ms
end

local function excluded(ua)
  return (#ua >= 18 and sub(ua, -18) == "kubernetes/$Format") or ua == "karpenter"
    or prefix(ua, "csi-secrets-store") or prefix(ua, "OpenAPI-Generator") or prefix(ua, "Prometheus")
    or prefix(ua, "dashboard") or prefix(ua, "cilium-agent")
end

function kql_seed(tag, ts, record)
  local ann = record["annotations"]
  if type(ann) ~= "table" or ann["authorization.k8s.io/decision"] ~= "forbid" then return 0, ts, record end
  if record["kind"] ~= "Event" or type(record["apiVersion"]) ~= "string" or not prefix(record["apiVersion"], "audit.k8s.io/") then return 0, ts, record end
  local user = record["user"]
  if type(user) ~= "table" or type(user["username"]) ~= "string" or not prefix(user["username"], SA) then return 0, ts, record end
  local ua = record["userAgent"]
  if type(ua) ~= "string" or excluded(ua) then return 0, ts, record end
  local t = parse_ms(record["stageTimestamp"]) or parse_ms(record["requestReceivedTimestamp"]) or parse_ms(record["timestamp"])
  if not t then
    if type(ts) == "table" then t = ts.sec * 1000 + math.floor(ts.nsec / 1000000) else t = math.floor(ts * 1000) end
  end
  local last = seen[ua]
  if last == nil or t > last then seen[ua] = t end
  if last ~= nil and last >= t - WINDOW_MS then return 0, ts, record end
  record["event"] = { kind = "alert" }
  record["rule"] = { id = "63c056a0-339a-11ed-a261-0242ac120002", name = "Kubernetes Denied Service Account Request via Unusual User Agent" }
  return 2, ts, record
end
`;
