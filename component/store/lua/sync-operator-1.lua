--[[
  Start-up: stamps a configured operator's desks and default capacity on its hash and rebuilds
  its entries in the desks' loads and ready sets (includes/operator-loads.lua); a desk the
  operator no longer belongs to forgets it.
  KEYS[1] operator
  ARGV[1] operator bare JID  ARGV[2] default max chats (kept if one is set: !max survives restarts)
  ARGV[3] desks, comma-separated
  returns the number of desks
]]
--- @include "operator-loads"
local prefix = string.sub(KEYS[1], 1, #KEYS[1] - #ARGV[1] - 3)
local keep = {}
for desk in string.gmatch(ARGV[3], '[^,]+') do keep[desk] = true end
for desk in string.gmatch(redis.call('HGET', KEYS[1], 'desks') or '', '[^,]+') do
  if not keep[desk] then
    redis.call('HDEL', prefix .. 'desk:' .. desk .. ':loads', ARGV[1])
    redis.call('ZREM', prefix .. 'desk:' .. desk .. ':ready', ARGV[1])
  end
end
redis.call('HSETNX', KEYS[1], 'max', ARGV[2])
redis.call('HSET', KEYS[1], 'desks', ARGV[3])
refresh_operator(KEYS[1], ARGV[1])
local n = 0
for _ in pairs(keep) do n = n + 1 end
return n
