--[[
  An operator writes to a masked JID: the chat behind it and who monitors it, in one round trip.
  KEYS[1] masked key (masked:<local>)
  ARGV[1] key prefix
  returns { ticket hash (flat list), monitors } or {} when the masked JID is unknown
]]
local id = redis.call('GET', KEYS[1])
if not id then return {} end
local tkey = ARGV[1] .. 'ticket:' .. id
return { redis.call('HGETALL', tkey), redis.call('SMEMBERS', tkey .. ':monitors') }
