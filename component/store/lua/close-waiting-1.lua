--[[
  At closing time (desks[].hours.atClosing 'offline', issue 17): a waiting ticket becomes an
  offline message in one step, so it is never both queued and offline, nor neither.
  KEYS[1] ticket
  ARGV[1] key prefix  ARGV[2] now (ms)  ARGV[3] desk (whose queue it waits in)
  ARGV[4] the customer's words (the buffered messages' bodies, read by the caller)
  ARGV[5] how many buffered messages the caller read: another one since refuses (FAIL.headChanged), to read again
  ARGV[6] seconds the offline ticket and its customer's list are kept
  Counts the wait's end as abandoned in the reports (includes/report-count.lua), as the rebuild reads it.
  returns the ticket hash or FAIL.ticketMissing, FAIL.headChanged (no longer waiting in that queue, or more words)
]]
--- @include "report-count"
local prefix = ARGV[1]
local t = redis.call('HGETALL', KEYS[1])
if #t == 0 then return FAIL.ticketMissing end
local ticket = {}
for i = 1, #t, 2 do ticket[t[i]] = t[i + 1] end
if ticket.state ~= 'waiting' then return FAIL.headChanged end
local desk = ARGV[3]
local queueDesk = ticket.queueDesk
if not queueDesk or queueDesk == '' then queueDesk = ticket.desk end
if queueDesk ~= desk then return FAIL.headChanged end
if redis.call('LLEN', KEYS[1] .. ':buffer') ~= tonumber(ARGV[5]) then return FAIL.headChanged end
local now = tonumber(ARGV[2])
local ttl = tonumber(ARGV[6])
redis.call('LREM', prefix .. 'desk:' .. desk .. ':queue', 1, ticket.id)
local words = ARGV[4]
if words == '' then words = ticket.firstWords or '' end
redis.call('HSET', KEYS[1], 'state', 'offline', 'desk', desk, 'queueDesk', '', 'firstWords', words, 'closedAt', now)
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('DEL', KEYS[1] .. ':buffer')
local ckey = prefix .. 'customer:' .. ticket.desk .. ':' .. ticket.customerBare
if redis.call('GET', ckey) == ticket.id then redis.call('DEL', ckey) end
if ticket.masked and ticket.masked ~= '' then redis.call('EXPIRE', prefix .. 'masked:' .. ticket.masked, ttl) end
report_abandoned(prefix, ticket, now)
redis.call('ZADD', prefix .. 'desk:' .. desk .. ':offline', now, ticket.id)
local list = prefix .. 'offline:' .. ticket.customerBare
redis.call('RPUSH', list, ticket.id)
redis.call('EXPIRE', list, ttl)
return redis.call('HGETALL', KEYS[1])
