--[[
  Send an active chat back to a desk's queue, at its head (operator !transfer <desk>).
  KEYS[1] ticket  KEYS[2] operator  KEYS[3] operator's tickets  KEYS[4] target desk queue
  ARGV[1] operator bare JID (must own the chat)  ARGV[2] now (ms)  ARGV[3] target desk id
  ARGV[4] what the reports count (includes/report-count.lua): 'transfer' (the operator's !transfer to a
    desk), 'unanswered' (taken from the operator by routing.reassignUnansweredSeconds: their miss), or ''
  returns ticket hash (flat list) or FAIL.notYours (not the operator's active chat)
]]
--- @include "report-count"
--- @include "operator-loads"
local t = redis.call('HMGET', KEYS[1], 'state', 'operator', 'id')
if t[1] ~= 'active' or t[2] ~= ARGV[1] then return FAIL.notYours end
redis.call('HINCRBY', KEYS[2], 'active', -1)
redis.call('HSET', KEYS[2], 'idleSince', ARGV[2])
redis.call('SREM', KEYS[3], t[3])
refresh_operator(KEYS[2], ARGV[1])
redis.call('LPUSH', KEYS[4], t[3])
redis.call('HSET', KEYS[1], 'state', 'waiting', 'operator', '', 'queueDesk', ARGV[3], 'requeuedAt', ARGV[2], 'notifiedPosition', 1)
if ARGV[4] == 'transfer' then report_transfer(KEYS[1], t[3], ARGV[1], ARGV[2])
elseif ARGV[4] == 'unanswered' then report_unanswered(KEYS[1], t[3], ARGV[1], ARGV[2]) end
return redis.call('HGETALL', KEYS[1])
