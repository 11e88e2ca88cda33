--[[
  A customer message while a ticket exists: kept in the buffer while waiting (atomically
  with the state check, so a message racing an assignment is never lost), otherwise routed.
  KEYS[1] ticket  KEYS[2] ticket buffer
  ARGV[1] serialized stanza  ARGV[2] max buffered messages  ARGV[3] 1 to keep it while waiting, 0 to drop
  (chat states are not worth keeping)
  returns { state, operator, masked, monitors }: state 'buffered' when kept, 'dropped', 'full' when the
  buffer is full; monitors = supervisors watching the chat
]]
local t = redis.call('HMGET', KEYS[1], 'state', 'operator', 'masked')
local state, operator, masked = t[1], t[2] or '', t[3] or ''
if not state then return { 'missing', '', '' } end
if state == 'waiting' then
  if ARGV[3] ~= '1' then return { 'dropped', '', masked } end
  if redis.call('LLEN', KEYS[2]) >= tonumber(ARGV[2]) then return { 'full', '', masked } end
  redis.call('RPUSH', KEYS[2], ARGV[1])
  return { 'buffered', '', masked }
end
return { state, operator, masked, redis.call('SMEMBERS', KEYS[1] .. ':monitors') }
