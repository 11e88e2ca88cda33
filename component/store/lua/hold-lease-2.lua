--[[
  Takes or renews the leader lease (issue 19 §3; docs/architecture.md "Several instances"): the
  time-driven work runs in the one instance holding it. Each new holder gets the next fencing
  token, so a holder that paused past its lease can tell (and be told) it is no longer the leader.
  KEYS[1] lease (hash: owner, token, expiresAt)  KEYS[2] epoch (counter of tokens)
  ARGV[1] this instance  ARGV[2] now (ms)  ARGV[3] lease length (ms)
  ARGV[4] '1': take it even from a live holder (the server gave this instance the domain alone)
  returns { token, gained }: token 0 when another instance holds it; gained 1 when newly taken
]]
local now = tonumber(ARGV[2])
local len = tonumber(ARGV[3])
local owner = redis.call('HGET', KEYS[1], 'owner')
local expires = tonumber(redis.call('HGET', KEYS[1], 'expiresAt') or '0')
if owner == ARGV[1] and expires >= now then
  redis.call('HSET', KEYS[1], 'expiresAt', now + len)
  redis.call('PEXPIRE', KEYS[1], len * 10)
  return { tonumber(redis.call('HGET', KEYS[1], 'token')), 0 }
end
if owner and expires >= now and ARGV[4] ~= '1' then return { 0, 0 } end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'token', token, 'expiresAt', now + len)
redis.call('PEXPIRE', KEYS[1], len * 10)
return { token, 1 }
