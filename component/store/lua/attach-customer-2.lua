--[[
  A widget customer's new JID takes over its live ticket at this desk (docs/widget-protocol.md §1:
  reattach after a page load or a reconnect). Atomic with the state check, so a ticket that
  ended meanwhile is never revived.
  KEYS[1] customer key (customer:<desk>:<tok:hash>)  KEYS[2] detached tickets (zset)
  ARGV[1] key prefix  ARGV[2] the customer's new full JID
  returns { ticketId, state, position (0 unless waiting), operator, queue desk } or { 0 } without a live ticket
]]
local id = redis.call('GET', KEYS[1])
if not id then return { 0 } end
local tkey = ARGV[1] .. 'ticket:' .. id
local t = redis.call('HMGET', tkey, 'state', 'operator', 'desk', 'queueDesk')
local state = t[1]
if state ~= 'waiting' and state ~= 'active' then return { 0 } end
redis.call('HSET', tkey, 'customer', ARGV[2])
redis.call('HDEL', tkey, 'detachedAt')
redis.call('ZREM', KEYS[2], id)
local queueDesk = t[4]
if not queueDesk or queueDesk == '' then queueDesk = t[3] end
local pos = 0
if state == 'waiting' then pos = (redis.call('LPOS', ARGV[1] .. 'desk:' .. queueDesk .. ':queue', id) or -1) + 1 end
return { tonumber(id), state, pos, t[2] or '', queueDesk }
