--[[
  Claims due mails for sending (issue 17): each claimed mail's due time moves to the end of its
  lease, so a sender that dies mid-send (kill -9) leaves it to be claimed again when the lease
  ends; two instances never claim one mail at once.
  KEYS[1] due mails (zset: id → due time or lease end, ms)
  ARGV[1] now (ms)  ARGV[2] lease end (ms)  ARGV[3] at most this many
  returns the claimed ids
]]
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id) end
return ids
