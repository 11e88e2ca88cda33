--[[
  Dispatcher rounds in one round trip: up to ARGV[3] times, the head of the desk's queue goes to
  the operator the desk's ready set ranks first (fewest active chats, then idle longest:
  reference model test/models/queue-model.ts). The operator's hash is the truth and is re-checked; a stale ready entry is
  repaired and the next one tried, so two dispatchers racing never assign twice nor overfill.
  KEYS[1] desk queue  KEYS[2] desk ready set  KEYS[3] pending-announce set
  ARGV[1] key prefix  ARGV[2] now (ms)  ARGV[3] at most this many assignments
  returns { { ticketId, ticket hash as flat list, buffered messages, the operator's active chats
    after this assignment, their max }, ... } (the last two let a caller audit capacity in Redis's
    own order) followed by why it stopped: -1 nobody waits, -2 no operator with a free slot,
    0 the limit was reached
]]
--- @include "report-count"
--- @include "operator-loads"
local out = {}
local function next_ready()
  for _ = 1, 16 do
    local best = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
    if not best then return nil end
    local op_key = ARGV[1] .. 'op:' .. best
    local op = redis.call('HMGET', op_key, 'status', 'active', 'max')
    if (op[1] == 'available' or op[1] == 'chat') and tonumber(op[2] or '0') < tonumber(op[3] or '0') then
      return best, tonumber(op[2] or '0'), tonumber(op[3])
    end
    redis.call('ZREM', KEYS[2], best)
    refresh_operator(op_key, best)
  end
  return nil
end
for _ = 1, tonumber(ARGV[3]) do
  local head = redis.call('LINDEX', KEYS[1], 0)
  if not head then
    out[#out + 1] = -1
    return out
  end
  local jid, active, max = next_ready()
  if not jid then
    out[#out + 1] = -2
    return out
  end
  local r = assign_ticket(ARGV[1], KEYS[1], head, jid, ARGV[2])
  report_served(ARGV[1], head, jid, ARGV[2]) -- the first assignment only (includes/report-count.lua)
  r[#r + 1] = active + 1
  r[#r + 1] = max
  out[#out + 1] = r
end
out[#out + 1] = 0
return out
