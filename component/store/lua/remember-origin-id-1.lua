--[[
  A cached active chat relayed a customer message with this origin-id (XEP-0359): remember it
  where customer-message-1.lua looks, for 24 h, so a lookup through Redis (another instance,
  after a restart or a change) drops its resend too.
  KEYS[1] the ticket's origin-id set   ARGV[1] the origin-id
]]
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], 86400)
return 1
