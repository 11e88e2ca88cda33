--[[
  Organisational settings (issue 16): apply changes to entities with optimistic locking, as one
  new settings revision, and announce it. The caller validated the whole resulting settings as
  read at revision ARGV[2]; if the revision moved since, nothing is written (the caller re-reads,
  re-validates and retries).
  KEYS[1] settings revision  KEYS[2] entity values (hash)  KEYS[3] entity revisions (hash)
  KEYS[4] entity order (hash: first written at)
  ARGV[1] announce channel  ARGV[2] base revision ('seed': only if there are no settings yet)
  ARGV[3..] triples: field (`<kind>/<id>`), expected entity revision (0: must not exist), JSON value ('' deletes)
  returns { newRev } | { -1, field, currentRev } (stale expected rev) | { -2, currentRev } (moved) | { -3 } (already seeded)
]]
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if ARGV[2] == 'seed' then
  if redis.call('EXISTS', KEYS[1]) == 1 then return { -3 } end
elseif current ~= tonumber(ARGV[2]) then
  return { -2, current }
end
for i = 3, #ARGV, 3 do
  local rev = tonumber(redis.call('HGET', KEYS[3], ARGV[i]) or '0')
  if rev ~= tonumber(ARGV[i + 1]) then return { -1, ARGV[i], rev } end
end
local newRev = redis.call('INCR', KEYS[1])
for i = 3, #ARGV, 3 do
  if ARGV[i + 2] == '' then
    redis.call('HDEL', KEYS[2], ARGV[i])
    redis.call('HDEL', KEYS[3], ARGV[i])
    redis.call('HDEL', KEYS[4], ARGV[i])
  else
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 2])
    redis.call('HSET', KEYS[3], ARGV[i], newRev)
    redis.call('HSETNX', KEYS[4], ARGV[i], newRev * 10000 + i)
  end
end
redis.call('PUBLISH', ARGV[1], newRev)
return { newRev }
