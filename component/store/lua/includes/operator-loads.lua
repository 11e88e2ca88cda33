--[[
  Included by the transitions that change an operator's hash (op:<jid>: status, active, max,
  idleSince). Keeps each of the operator's desks (field 'desks', comma-separated, stamped by
  sync-operator and by operator-presence) in step, inside the same script:
    desk:<d>:loads  hash  jid → 'status active max idleSince' (the desk snapshot: one HGETALL)
    desk:<d>:ready  zset  operators taking customers with a free slot, scored active·10^13 + idleSince,
                          so ZRANGE 0 0 is test/models/queue-model.ts pickOperator's choice (fewest chats, then idle longest)
]]
local function refresh_operator(op_key, jid)
  local prefix = string.sub(op_key, 1, #op_key - #jid - 3) -- op_key is <prefix>op:<jid>
  local o = redis.call('HMGET', op_key, 'status', 'active', 'max', 'idleSince', 'desks')
  local status, active, max, idle = o[1] or 'offline', tonumber(o[2] or '0'), tonumber(o[3] or '0'), tonumber(o[4] or '0')
  local room = (status == 'available' or status == 'chat') and active < max
  local load = string.format('%s %d %d %.0f', status, active, max, idle)
  for desk in string.gmatch(o[5] or '', '[^,]+') do
    local d = prefix .. 'desk:' .. desk
    redis.call('HSET', d .. ':loads', jid, load)
    if room then redis.call('ZADD', d .. ':ready', string.format('%.0f', active * 1e13 + idle), jid)
    else redis.call('ZREM', d .. ':ready', jid) end
  end
end

-- The head (or picked) ticket goes to the operator: the one assignment both assign scripts commit.
local function assign_ticket(prefix, queue_key, id, jid, now)
  local op_key = prefix .. 'op:' .. jid
  redis.call('LREM', queue_key, 1, id)
  local tkey = prefix .. 'ticket:' .. id
  redis.call('HSET', tkey, 'state', 'active', 'operator', jid, 'assignedAt', now)
  redis.call('HINCRBY', op_key, 'active', 1)
  redis.call('HSET', op_key, 'idleSince', now)
  redis.call('SADD', op_key .. ':tickets', id)
  redis.call('SADD', prefix .. 'pending-announce', id)
  refresh_operator(op_key, jid)
  -- The buffer comes back in the same reply, so the caller can hand it over before any
  -- message that arrives after this assignment is relayed.
  return { tonumber(id), redis.call('HGETALL', tkey), redis.call('LRANGE', tkey .. ':buffer', 0, -1) }
end
