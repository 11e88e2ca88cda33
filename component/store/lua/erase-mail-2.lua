--[[
  Erasure (issue 17): every queued mail to or about a customer is removed, unsent.
  KEYS[1] the customer's mails (set of ids)  KEYS[2] due mails (zset)
  ARGV[1] key prefix
  returns how many mails were removed
]]
local ids = redis.call('SMEMBERS', KEYS[1])
local n = 0
for _, id in ipairs(ids) do
  n = n + redis.call('DEL', ARGV[1] .. 'mail:' .. id)
  redis.call('ZREM', KEYS[2], id)
end
redis.call('DEL', KEYS[1])
return n
