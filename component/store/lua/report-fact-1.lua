--[[
  Add one report fact to the day rollups of its desk and operator (docs/reports.md), once: a
  fact already counted for the ticket (a retry, a second instance, a rebuild over live data)
  changes nothing.
  KEYS[1] the ticket's report marks (hash: fact name -> 1)
  ARGV[1] fact name  ARGV[2] retention (s)  ARGV[3] samples kept per list and day  ARGV[4] hour (00-23)
  ARGV[5] number of scopes, then each scope's day key
  then the number of counters, then name, increment pairs
  then the number of samples, then list, ms pairs
  then a comment (JSON) or ''
  then the number of chat row fields, then name, value pairs (a '+name' is added to), stored in
  KEYS[1] as 'c.<name>'; then the ticket id, or '' (a request: listed in the desk day's tickets)
  returns 1 when counted, 0 when it was counted before
]]
if redis.call('HSETNX', KEYS[1], ARGV[1], 1) == 0 then return 0 end
local ttl = tonumber(ARGV[2])
redis.call('EXPIRE', KEYS[1], ttl)
local keep = tonumber(ARGV[3])
local hour = ARGV[4]
local i = 5
local nscopes = tonumber(ARGV[i]); i = i + 1
local scopes = {}
for s = 1, nscopes do scopes[s] = ARGV[i]; i = i + 1 end
local nfields = tonumber(ARGV[i]); i = i + 1
local fields = {}
for f = 1, nfields do fields[f] = { ARGV[i], tonumber(ARGV[i + 1]) }; i = i + 2 end
local nsamples = tonumber(ARGV[i]); i = i + 1
local samples = {}
for s = 1, nsamples do samples[s] = { ARGV[i], ARGV[i + 1] }; i = i + 2 end
local comment = ARGV[i]; i = i + 1
local nchat = tonumber(ARGV[i]); i = i + 1
for c = 1, nchat do
  local name, value = ARGV[i], ARGV[i + 1]
  if string.sub(name, 1, 1) == '+' then
    redis.call('HINCRBY', KEYS[1], 'c.' .. string.sub(name, 2), value)
  else
    redis.call('HSET', KEYS[1], 'c.' .. name, value)
  end
  i = i + 2
end
local listed = ARGV[i]
if listed ~= '' then
  redis.call('SADD', scopes[1] .. ':tickets', listed)
  redis.call('EXPIRE', scopes[1] .. ':tickets', ttl)
end
for _, key in ipairs(scopes) do
  for _, f in ipairs(fields) do
    redis.call('HINCRBY', key, f[1], f[2])
    redis.call('HINCRBY', key, f[1] .. '@' .. hour, f[2])
  end
  redis.call('EXPIRE', key, ttl)
  for _, s in ipairs(samples) do
    local list = key .. ':' .. s[1]
    -- bounded: past `keep` samples a day, the oldest go (percentiles become those of the latest)
    redis.call('RPUSH', list, hour .. ':' .. s[2])
    redis.call('LTRIM', list, -keep, -1)
    redis.call('EXPIRE', list, ttl)
  end
  if comment ~= '' then
    redis.call('RPUSH', key .. ':comments', comment)
    redis.call('LTRIM', key .. ':comments', -keep, -1)
    redis.call('EXPIRE', key .. ':comments', ttl)
  end
end
return 1
