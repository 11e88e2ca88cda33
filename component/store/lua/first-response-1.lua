--[[
  The operator's first answer in a chat (typed or canned): stamps firstResponseAt once and counts
  the first response in the reports in the same step (includes/report-count.lua).
  KEYS[1] ticket
  ARGV[1] key prefix  ARGV[2] now (ms)
  returns 1 the first time, 0 after (or for a ticket that is gone)
]]
--- @include "report-count"
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[1], 'firstResponseAt', ARGV[2]) == 0 then return 0 end
local h = redis.call('HMGET', KEYS[1], 'id', 'desk', 'rep', 'assignedAt', 'operator')
local ms = math.max(0, tonumber(ARGV[2]) - tonumber(h[4] or ARGV[2]))
count_chat_fact(ARGV[1], h[1], { desk = h[2], rep = h[3] }, 'first', h[5], { { 'responded', 1 } }, { { 'first', ms } },
  { { 'firstResponseMs', ms } })
return 1
