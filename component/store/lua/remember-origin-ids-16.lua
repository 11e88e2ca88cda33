--[[
  remember-origin-id-1.lua for the customer messages whose copies one write to the server
  carried (origin-ids.ts batches them): one call instead of one per message.
  KEYS[i] a ticket's origin-id set   ARGV[i] the origin-id relayed in it
  A batch of fewer than 16 fills the rest with its last key and '' (skipped).
  returns how many of the ids were new to their tickets
]]
--- @include "origin-ids"
local new = 0
for i = 1, #KEYS do
  if ARGV[i] ~= '' and remember_origin_id(KEYS[i], ARGV[i]) then new = new + 1 end
end
return new
