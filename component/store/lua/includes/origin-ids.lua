--[[
  Included by the scripts that remember a ticket's origin-ids (XEP-0359): each one is relayed or
  kept once per ticket, remembered 24 h after the latest, so a widget's resend after a reconnect
  is not seen twice. True when `oid` was new to the set at `key`.
]]
local function remember_origin_id(key, oid)
  if redis.call('SADD', key, oid) == 0 then return false end
  redis.call('EXPIRE', key, 86400)
  return true
end
