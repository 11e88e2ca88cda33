--[[
  An active chat's customer message with this origin-id (XEP-0359) has been relayed: remember it
  where customer-message-1.lua looks, so a lookup through Redis (another instance, after a
  restart or a change) drops its resend too.
  KEYS[1] the ticket's origin-id set   ARGV[1] the origin-id
  returns 1 when the id is new to the ticket, 0 when it was relayed or kept before (a resend)
]]
--- @include "origin-ids"
return remember_origin_id(KEYS[1], ARGV[1]) and 1 or 0
