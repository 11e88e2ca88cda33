--[[
  Add an operator's time in one presence status to the day rollups of the operator and of their
  desks (docs/reports.md, src/report-presence.ts), once: an interval already counted (a retry, a
  rebuild over live data) changes nothing.
  KEYS[1] the operator's presence marks of the interval's end day (hash: since -> 1)
  ARGV[1] the interval's start (ms: names it)  ARGV[2] retention (s)  ARGV[3] number of pieces
  then per piece: the scope's day key, hour (00-23), online ms, available ms
  returns 1 when counted, 0 when it was counted before
]]
if redis.call('HSETNX', KEYS[1], ARGV[1], 1) == 0 then return 0 end
local ttl = tonumber(ARGV[2])
redis.call('EXPIRE', KEYS[1], ttl)
local n = tonumber(ARGV[3])
for p = 0, n - 1 do
  local key, hour = ARGV[4 + 4 * p], ARGV[5 + 4 * p]
  local online, available = tonumber(ARGV[6 + 4 * p]), tonumber(ARGV[7 + 4 * p])
  redis.call('HINCRBY', key, 'onlineMs', online)
  redis.call('HINCRBY', key, 'onlineMs@' .. hour, online)
  if available > 0 then
    redis.call('HINCRBY', key, 'availableMs', available)
    redis.call('HINCRBY', key, 'availableMs@' .. hour, available)
  end
  redis.call('EXPIRE', key, ttl)
end
return 1
