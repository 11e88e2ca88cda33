--[[
  A cached active chat relayed a customer message with this origin-id (XEP-0359): remember it
  where customer-message-1.lua looks, so a lookup through Redis (another instance, after a
  restart or a change) drops its resend too.
  KEYS[1] the ticket's origin-id set   ARGV[1] the origin-id
]]
--- @include "origin-ids"
remember_origin_id(KEYS[1], ARGV[1])
return 1
