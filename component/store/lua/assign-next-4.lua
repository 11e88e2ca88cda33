--[[
  Commit the dispatcher's choice: the desk's head ticket goes to the chosen operator.
  Re-checks every invariant here, so racing dispatchers never assign a ticket twice
  or push an operator past capacity.
  KEYS[1] desk queue  KEYS[2] operator  KEYS[3] operator's tickets  KEYS[4] pending-announce set
  ARGV[1] key prefix  ARGV[2] expected head ticket id  ARGV[3] operator bare JID  ARGV[4] now (ms)
  ARGV[5] 'pick' to take that ticket from anywhere in the queue (an operator's manual pick; an away
  operator may pick by hand what the dispatcher would not give them, within capacity)
  returns { ticketId, ticket hash as flat list, buffered messages } or a negative code:
    -1 head changed   -2 operator not taking customers   -3 operator full
]]
local head = ARGV[2]
if ARGV[5] == 'pick' then
  if not redis.call('LPOS', KEYS[1], head) then return -1 end
elseif redis.call('LINDEX', KEYS[1], 0) ~= head then
  return -1
end
local op = redis.call('HMGET', KEYS[2], 'status', 'active', 'max')
local routable = op[1] == 'available' or op[1] == 'chat'
local online = op[1] and op[1] ~= 'offline'
if not routable and not (ARGV[5] == 'pick' and online) then return -2 end
if tonumber(op[2] or '0') >= tonumber(op[3] or '0') then return -3 end
redis.call('LREM', KEYS[1], 1, head)
local tkey = ARGV[1] .. 'ticket:' .. head
redis.call('HSET', tkey, 'state', 'active', 'operator', ARGV[3], 'assignedAt', ARGV[4])
redis.call('HINCRBY', KEYS[2], 'active', 1)
redis.call('HSET', KEYS[2], 'idleSince', ARGV[4])
redis.call('SADD', KEYS[3], head)
redis.call('SADD', KEYS[4], head)
-- The buffer comes back in the same reply, so the caller can hand it over before any
-- message that arrives after this assignment is relayed.
return { tonumber(head), redis.call('HGETALL', tkey), redis.call('LRANGE', tkey .. ':buffer', 0, -1) }
