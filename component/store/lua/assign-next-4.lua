--[[
  Commit a choice made outside: that ticket goes to that operator (an operator's !pick, or a
  caller that chose the operator itself). Re-checks every invariant here, so racing
  dispatchers never assign a ticket twice or push an operator past capacity.
  KEYS[1] desk queue  KEYS[2] operator  KEYS[3] operator's tickets  KEYS[4] pending-announce set
  ARGV[1] key prefix  ARGV[2] expected head ticket id  ARGV[3] operator bare JID  ARGV[4] now (ms)
  ARGV[5] 'pick' to take that ticket from anywhere in the queue (an operator's manual pick; an away
  operator may pick by hand what the dispatcher would not give them, within capacity)
  returns { ticketId, ticket hash as flat list, buffered messages } or FAIL.headChanged,
    FAIL.operatorUnavailable (not taking customers), FAIL.operatorFull (store/script-failures.ts)
  The first assignment counts as served in the reports (includes/report-count.lua).
  The dispatcher's own rounds use assign-ready-3.lua (the operator is chosen in Redis).
]]
--- @include "report-count"
--- @include "operator-loads"
local head = ARGV[2]
if ARGV[5] == 'pick' then
  if not redis.call('LPOS', KEYS[1], head) then return FAIL.headChanged end
elseif redis.call('LINDEX', KEYS[1], 0) ~= head then
  return FAIL.headChanged
end
local op = redis.call('HMGET', KEYS[2], 'status', 'active', 'max')
local routable = op[1] == 'available' or op[1] == 'chat'
local online = op[1] and op[1] ~= 'offline'
if not routable and not (ARGV[5] == 'pick' and online) then return FAIL.operatorUnavailable end
if tonumber(op[2] or '0') >= tonumber(op[3] or '0') then return FAIL.operatorFull end
local assigned = assign_ticket(ARGV[1], KEYS[1], head, ARGV[3], ARGV[4])
report_served(ARGV[1], head, ARGV[3], ARGV[4]) -- the first assignment only (a re-assignment was counted)
return assigned
