--[[
  One dispatcher round in one round trip: the head of the desk's queue goes to the operator
  the desk's ready set ranks first (fewest active chats, then idle longest: src/queue-policy.ts).
  The operator's hash is the truth and is re-checked; a stale ready entry is repaired and the
  next one tried, so two dispatchers racing never assign twice nor overfill anyone.
  KEYS[1] desk queue  KEYS[2] desk ready set  KEYS[3] pending-announce set
  ARGV[1] key prefix  ARGV[2] now (ms)
  returns { ticketId, ticket hash as flat list, buffered messages, the operator's active chats after
    this assignment, their max } (the last two let a caller audit capacity in Redis's own order), or
    -1 nobody waits   -2 no operator takes customers with a free slot
]]
--- @include "operator-loads"
local head = redis.call('LINDEX', KEYS[1], 0)
if not head then return -1 end
for _ = 1, 16 do
  local best = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if not best then return -2 end
  local op_key = ARGV[1] .. 'op:' .. best
  local op = redis.call('HMGET', op_key, 'status', 'active', 'max')
  if (op[1] == 'available' or op[1] == 'chat') and tonumber(op[2] or '0') < tonumber(op[3] or '0') then
    local r = assign_ticket(ARGV[1], KEYS[1], head, best, ARGV[2])
    table.insert(r, tonumber(op[2] or '0') + 1)
    table.insert(r, tonumber(op[3]))
    return r
  end
  redis.call('ZREM', KEYS[2], best)
  refresh_operator(op_key, best)
end
return -2
