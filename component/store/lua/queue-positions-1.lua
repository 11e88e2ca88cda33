--[[
  What the position notifier needs about the waiting customers, in one round trip instead of
  one HGET per customer and field, and bounded: the head of the line, plus a window further back
  that the notifier moves along the line from tick to tick (a long line costs the same per tick).
  Read-only, and atomic: the places of both parts are those of one moment.
  KEYS[1] desk queue
  ARGV[1] key prefix  ARGV[2] how many from the head (0: the whole line)
  ARGV[3] where the window starts (0-based; absent: no window)  ARGV[4] how many in the window
  returns { id, place, notifiedPosition, notifiedWait, notifiedAt, customer, id, ... } in queue order
    ('' for a field never set; notifiedAt falls back to createdAt: the join reply told the position)
]]
local out = {}
local function read(start, stop)
  for i, id in ipairs(redis.call('LRANGE', KEYS[1], start, stop)) do
    local t = redis.call('HMGET', ARGV[1] .. 'ticket:' .. id, 'notifiedPosition', 'notifiedWait', 'notifiedAt', 'customer', 'createdAt')
    out[#out + 1] = id
    out[#out + 1] = start + i
    out[#out + 1] = t[1] or ''
    out[#out + 1] = t[2] or ''
    out[#out + 1] = t[3] or t[5] or ''
    out[#out + 1] = t[4] or ''
  end
end
local head = tonumber(ARGV[2])
if head == 0 then
  read(0, -1)
  return out
end
read(0, head - 1)
if ARGV[3] then
  local start = math.max(tonumber(ARGV[3]), head)
  local count = tonumber(ARGV[4])
  if count > 0 then read(start, start + count - 1) end
end
return out
