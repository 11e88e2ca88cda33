--[[
  What the position notifier needs about the waiting customers, in one round trip instead of
  one HGET per customer and field. Read-only.
  KEYS[1] desk queue
  ARGV[1] key prefix  ARGV[2] how many, from the head of the line
  returns { id, notifiedPosition, notifiedWait, notifiedAt, customer, id, ... } in queue order
    ('' for a field never set; notifiedAt falls back to createdAt: the join reply told the position)
]]
local out = {}
for _, id in ipairs(redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)) do
  local t = redis.call('HMGET', ARGV[1] .. 'ticket:' .. id, 'notifiedPosition', 'notifiedWait', 'notifiedAt', 'customer', 'createdAt')
  out[#out + 1] = id
  out[#out + 1] = t[1] or ''
  out[#out + 1] = t[2] or ''
  out[#out + 1] = t[3] or t[5] or ''
  out[#out + 1] = t[4] or ''
end
return out
