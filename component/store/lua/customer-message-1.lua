--[[
  A message from a customer who may have a ticket at this desk: routed when the chat is
  active, kept in the buffer while waiting (atomically with the state check, so a message
  racing an assignment is never lost). The caller sends the serialized stanza only when asked
  ('needs-payload'), so the hot path (active chats) never serializes anything.
  KEYS[1] customer key (customer:<desk>:<bare>)
  ARGV[1] key prefix  ARGV[2] serialized stanza or ''  ARGV[3] max buffered messages
  ARGV[4] 1 to keep it while waiting, 0 to drop it (chat states are not worth keeping)
  ARGV[5] the message's origin-id (XEP-0359) or '': an origin-id is relayed or kept once per
  ticket (remembered 24 h), so a widget's resend after a reconnect is not seen twice. Kept
  (waiting): remembered here, with the message. Active: only checked here; the component
  remembers it once the copy is relayed (remember-origin-id-1.lua), so a crash between the two
  loses nothing (the resend is relayed)
  ARGV[6] n > 0: with an active chat, also return the origin-ids the ticket has seen if there are
  at most n (the component caches the route and checks later origin-ids itself:
  component/store/route-cache.ts); more than n: { 0 }; 0: nothing
  returns { state, ticketId, operator, masked, monitors[, origin-ids | { 0 }] }; state is 'active', 'missing' (no live
  ticket), 'needs-payload', 'buffered', 'dropped', 'full' (the buffer is at its limit) or
  'duplicate' (that origin-id was relayed or kept before)
]]
local id = redis.call('GET', KEYS[1])
if not id then return { 'missing', 0, '', '', {} } end
local tkey = ARGV[1] .. 'ticket:' .. id
local t = redis.call('HMGET', tkey, 'state', 'operator', 'masked')
local state, operator, masked = t[1], t[2] or '', t[3] or ''
local oid = ARGV[5] or ''
local oids = tkey .. ':oids'
--- @include "origin-ids"
local function first_time() return oid == '' or remember_origin_id(oids, oid) end
if state == 'active' then
  if oid ~= '' and redis.call('SISMEMBER', oids, oid) == 1 then return { 'duplicate', tonumber(id), operator, masked, {} } end
  local monitors = redis.call('SMEMBERS', tkey .. ':monitors')
  local most = tonumber(ARGV[6] or '0') or 0
  if most > 0 then
    if redis.call('SCARD', oids) > most then return { 'active', tonumber(id), operator, masked, monitors, { 0 } } end
    return { 'active', tonumber(id), operator, masked, monitors, redis.call('SMEMBERS', oids) }
  end
  return { 'active', tonumber(id), operator, masked, monitors }
end
if state ~= 'waiting' then return { 'missing', tonumber(id), '', '', {} } end
if ARGV[4] ~= '1' then return { 'dropped', tonumber(id), '', masked, {} } end
if oid ~= '' and redis.call('SISMEMBER', oids, oid) == 1 then return { 'duplicate', tonumber(id), '', masked, {} } end
if ARGV[2] == '' then return { 'needs-payload', tonumber(id), '', masked, {} } end
if redis.call('LLEN', tkey .. ':buffer') >= tonumber(ARGV[3]) then return { 'full', tonumber(id), '', masked, {} } end
first_time()
redis.call('RPUSH', tkey .. ':buffer', ARGV[2])
return { 'buffered', tonumber(id), '', masked, {} }
