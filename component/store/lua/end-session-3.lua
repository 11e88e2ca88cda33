--[[
  End a ticket (operator !end, customer left, ban). Frees the operator's slot and feeds
  the desk's average handle time. The ticket and its masked address stay readable for
  ARGV[4] seconds so late messages get "chat ended" rather than "unknown".
  KEYS[1] ticket  KEYS[2] desk queue (of the ticket's own desk; a transferred ticket waits in queueDesk's)  KEYS[3] desk stats
  ARGV[1] key prefix  ARGV[2] now (ms)  ARGV[3] reason  ARGV[4] retention (s)  ARGV[5] default avg handle (ms)
  ARGV[6] expected operator ('' = any)
  Counts the end in the reports (includes/report-count.lua): a wait never assigned is abandoned,
  an active chat ended (missed when never answered).
  returns { previous state, operator, ...ticket hash } or FAIL.ticketMissing, FAIL.alreadyEnded, FAIL.notYours
    (not that operator's), FAIL.notAChat (an offline message: answered by !reply, never ended here)
]]
--- @include "report-count"
--- @include "operator-loads"
local prefix = ARGV[1]
local t = redis.call('HGETALL', KEYS[1])
if #t == 0 then return FAIL.ticketMissing end
local ticket = {}
for i = 1, #t, 2 do ticket[t[i]] = t[i + 1] end
if ticket.state == 'ended' then return FAIL.alreadyEnded end
if ticket.state ~= 'waiting' and ticket.state ~= 'active' then return FAIL.notAChat end
if ARGV[6] ~= '' and ticket.operator ~= ARGV[6] then return FAIL.notYours end
local now = tonumber(ARGV[2])
if ticket.state == 'waiting' then
  local queue = KEYS[2]
  if ticket.queueDesk and ticket.queueDesk ~= '' then queue = prefix .. 'desk:' .. ticket.queueDesk .. ':queue' end
  redis.call('LREM', queue, 1, ticket.id)
  if (tonumber(ticket.assignedAt or '0') or 0) == 0 then report_abandoned(prefix, ticket, now) end
elseif ticket.state == 'active' then
  local op = ticket.operator
  redis.call('HINCRBY', prefix .. 'op:' .. op, 'active', -1)
  redis.call('HSET', prefix .. 'op:' .. op, 'idleSince', now)
  redis.call('SREM', prefix .. 'op:' .. op .. ':tickets', ticket.id)
  refresh_operator(prefix .. 'op:' .. op, op)
  redis.call('SREM', prefix .. 'pending-announce', ticket.id)
  local handled = now - tonumber(ticket.assignedAt or now)
  local avg = tonumber(redis.call('HGET', KEYS[3], 'avgHandleMs') or ARGV[5])
  redis.call('HSET', KEYS[3], 'avgHandleMs', math.floor(avg + 0.2 * (handled - avg)))
  report_ended(prefix, ticket, now)
end
redis.call('HSET', KEYS[1], 'state', 'ended', 'endedAt', now, 'endReason', ARGV[3])
local ckey = prefix .. 'customer:' .. ticket.desk .. ':' .. ticket.customerBare
if redis.call('GET', ckey) == ticket.id then redis.call('DEL', ckey) end
local ttl = tonumber(ARGV[4])
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', prefix .. 'masked:' .. ticket.masked, ttl)
redis.call('DEL', KEYS[1] .. ':buffer', KEYS[1] .. ':monitors')
table.insert(t, 1, ticket.operator or '')
table.insert(t, 1, ticket.state)
return t
