--[[
  An operator stayed offline past the grace period: their chats go back to the head of
  their desks' queues, oldest ticket first, and the operator's load drops to zero.
  KEYS[1] operator  KEYS[2] operator's tickets  KEYS[3] offline-operators zset
  ARGV[1] key prefix  ARGV[2] operator bare JID  ARGV[3] now (ms)
  returns { ticketId, desk, ticketId, desk, ... } (empty when the operator came back meanwhile)
]]
--- @include "operator-loads"
local prefix = ARGV[1]
redis.call('ZREM', KEYS[3], ARGV[2])
if redis.call('HGET', KEYS[1], 'status') ~= 'offline' then return {} end
local ids = redis.call('SMEMBERS', KEYS[2])
table.sort(ids, function(a, b) return tonumber(a) > tonumber(b) end)
local out = {}
for _, id in ipairs(ids) do
  local tkey = prefix .. 'ticket:' .. id
  local desk = redis.call('HGET', tkey, 'queueDesk')
  if not desk or desk == '' then desk = redis.call('HGET', tkey, 'desk') end
  if desk and redis.call('HGET', tkey, 'state') == 'active' then
    redis.call('HSET', tkey, 'state', 'waiting', 'operator', '', 'requeuedAt', ARGV[3], 'notifiedPosition', 0)
    redis.call('LPUSH', prefix .. 'desk:' .. desk .. ':queue', id)
    redis.call('SREM', prefix .. 'pending-announce', id)
    table.insert(out, id)
    table.insert(out, desk)
  end
end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], 'active', 0)
refresh_operator(KEYS[1], ARGV[2])
return out
