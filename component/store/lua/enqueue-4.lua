--[[
  A customer joins a desk's queue, or finds the ticket it already has.
  KEYS[1] customer key (customer:<desk>:<bare>)   KEYS[2] ticket sequence   KEYS[3] desk queue  KEYS[4] blacklist
  ARGV[1] key prefix  ARGV[2] desk  ARGV[3] customer full JID  ARGV[4] customer bare JID
  ARGV[5] display name  ARGV[6] now (ms)  ARGV[7] masked suffix  ARGV[8] first message (serialized stanza, may be '')  ARGV[9] first words (for the operators' queue list)
  ARGV[10] origin-id of the first message (XEP-0359) or '', remembered like customer-message-1.lua does
  ARGV[11] the pre-chat form in one line for the operator's intro, or ''
  ARGV[12] the report stamp (includes/report-count.lua), or '': a new ticket counts as requested here
  returns { ticketId, state, created (1|0), position (0 unless waiting) }; state 'banned' for a blacklisted customer
]]
--- @include "report-count"
local prefix = ARGV[1]
if redis.call('HEXISTS', KEYS[4], ARGV[4]) == 1 then return { 0, 'banned', 0, 0 } end
local existing = redis.call('GET', KEYS[1])
if existing then
  local tkey = prefix .. 'ticket:' .. existing
  local state = redis.call('HGET', tkey, 'state')
  if state == 'waiting' or state == 'active' then
    redis.call('HSET', tkey, 'customer', ARGV[3])
    local pos = 0
    if state == 'waiting' then pos = (redis.call('LPOS', KEYS[3], existing) or -1) + 1 end
    return { tonumber(existing), state, 0, pos }
  end
end
local id = redis.call('INCR', KEYS[2])
local masked = 't' .. id .. '-' .. ARGV[7]
local tkey = prefix .. 'ticket:' .. id
redis.call('HSET', tkey, 'id', id, 'desk', ARGV[2], 'customer', ARGV[3], 'customerBare', ARGV[4],
  'name', ARGV[5], 'state', 'waiting', 'masked', masked, 'createdAt', ARGV[6], 'notifiedPosition', 0,
  'firstWords', ARGV[9] or '', 'summary', ARGV[11] or '', 'rep', ARGV[12] or '')
if ARGV[12] and ARGV[12] ~= '' then
  count_chat_fact(prefix, id, { desk = ARGV[2], rep = ARGV[12] }, 'requested', nil, { { 'requested', 1 } }, {},
    { { 'outcome', 'waiting' }, { 'requestedAt', ARGV[6] } }, id)
end
redis.call('SET', prefix .. 'masked:' .. masked, id)
redis.call('SET', KEYS[1], id)
if ARGV[8] ~= '' then redis.call('RPUSH', tkey .. ':buffer', ARGV[8]) end
if ARGV[10] and ARGV[10] ~= '' then
  redis.call('SADD', tkey .. ':oids', ARGV[10])
  redis.call('EXPIRE', tkey .. ':oids', 86400)
end
local pos = redis.call('RPUSH', KEYS[3], id)
redis.call('HSET', tkey, 'notifiedPosition', pos)
return { id, 'waiting', 1, pos }
