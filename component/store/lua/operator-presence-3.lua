--[[
  One resource of an operator changed presence. Aggregates the resources (most available
  wins; reference model: test/models/presence-model.ts) and starts or cancels the grace period.
  KEYS[1] operator  KEYS[2] operator's resources  KEYS[3] offline-operators zset
  ARGV[1] operator bare JID  ARGV[2] resource ('' = all resources)  ARGV[3] show ('' = unavailable)
  ARGV[4] now (ms)  ARGV[5] grace (ms)  ARGV[6] default max chats
  ARGV[7] the operator's desks, comma-separated (optional: kept as stamped when absent)
  returns { previous status, new status, active, since }: since is when the previous status began
  (field 'statusSince', stamped on each change; '' if unknown), for the reports' online time
  Keeps the desks' loads and ready sets in step (includes/operator-loads.lua).
]]
--- @include "operator-loads"
local RANK = { offline = 0, dnd = 1, xa = 2, away = 3, available = 4, chat = 5 }
if ARGV[3] == '' then
  if ARGV[2] == '' then redis.call('DEL', KEYS[2]) else redis.call('HDEL', KEYS[2], ARGV[2]) end
else
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
end
local best = 'offline'
local shows = redis.call('HVALS', KEYS[2])
for _, show in ipairs(shows) do
  if (RANK[show] or 0) > RANK[best] then best = show end
end
local op = redis.call('HMGET', KEYS[1], 'status', 'active', 'max', 'statusSince')
local previous = op[1] or 'offline'
local active = tonumber(op[2] or '0')
local since = op[4] or ''
if not op[3] then redis.call('HSET', KEYS[1], 'max', ARGV[6]) end
if ARGV[7] then redis.call('HSET', KEYS[1], 'desks', ARGV[7]) end
redis.call('HSET', KEYS[1], 'status', best)
if best ~= previous then redis.call('HSET', KEYS[1], 'statusSince', ARGV[4]) end
local routable = best == 'available' or best == 'chat'
local was_routable = previous == 'available' or previous == 'chat'
if routable and not was_routable then redis.call('HSET', KEYS[1], 'idleSince', ARGV[4]) end
if best == 'offline' then
  if previous ~= 'offline' and active > 0 then
    redis.call('ZADD', KEYS[3], tonumber(ARGV[4]) + tonumber(ARGV[5]), ARGV[1])
  end
else
  redis.call('ZREM', KEYS[3], ARGV[1])
end
refresh_operator(KEYS[1], ARGV[1])
return { previous, best, active, since }
