--[[
  Hand an active chat to another operator (operator !transfer). Refuses unless the target
  takes customers and has room, so a transfer can never overfill anyone.
  KEYS[1] ticket  KEYS[2] from operator  KEYS[3] from operator's tickets  KEYS[4] to operator  KEYS[5] to operator's tickets
  ARGV[1] from operator bare JID  ARGV[2] to operator bare JID  ARGV[3] now (ms)
  ARGV[4] '1' for a supervisor's takeover: the target's presence and capacity are not checked
  Counts the transfer in the reports, for the operator who had the chat (includes/report-count.lua).
  returns ticket hash (flat list) or FAIL.notYours (not the sender's active chat), FAIL.operatorUnavailable
    (the target does not take customers), FAIL.operatorFull (the target is full), FAIL.sameOperator
]]
--- @include "report-count"
--- @include "operator-loads"
local t = redis.call('HMGET', KEYS[1], 'state', 'operator', 'id')
if t[1] ~= 'active' or t[2] ~= ARGV[1] then return FAIL.notYours end
if ARGV[1] == ARGV[2] then return FAIL.sameOperator end
local to = redis.call('HMGET', KEYS[4], 'status', 'active', 'max')
if ARGV[4] ~= '1' then
  if to[1] ~= 'available' and to[1] ~= 'chat' then return FAIL.operatorUnavailable end
  if tonumber(to[2] or '0') >= tonumber(to[3] or '0') then return FAIL.operatorFull end
end
redis.call('HINCRBY', KEYS[2], 'active', -1)
redis.call('HSET', KEYS[2], 'idleSince', ARGV[3])
redis.call('SREM', KEYS[3], t[3])
redis.call('HINCRBY', KEYS[4], 'active', 1)
redis.call('HSET', KEYS[4], 'idleSince', ARGV[3])
redis.call('SADD', KEYS[5], t[3])
refresh_operator(KEYS[2], ARGV[1])
refresh_operator(KEYS[4], ARGV[2])
redis.call('HSET', KEYS[1], 'operator', ARGV[2], 'transferredAt', ARGV[3])
report_transfer(KEYS[1], t[3], ARGV[1], ARGV[3])
return redis.call('HGETALL', KEYS[1])
