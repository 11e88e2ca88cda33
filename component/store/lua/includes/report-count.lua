--[[
  Report rollups kept by the transitions themselves (docs/reports.md "How they are counted"): a
  transition that changes a chat's state adds its fact in the same script, so no lost call can
  make the rollups drift from the state. The counting rules are src/report-figures.ts's
  (factIncrements, chatFields); the rebuild applies those to the evidence log, and the test
  of a rebuild against the live rollups keeps the two in step.
  A ticket carries its report stamp from its request (`rep`: '<day>|<hh>|<ttl s>|<samples kept>',
  the day and hour of the request in the desk's time zone, from store/report-store.ts stamp()).
]]
-- Adds one fact to the day rollups of its scopes, once per ticket and `once` name; false if counted before.
local function count_fact(marks, once, ttl, keep, hour, scopes, fields, samples, comment, chat, listed)
  if redis.call('HSETNX', marks, once, 1) == 0 then return false end
  redis.call('EXPIRE', marks, ttl)
  for _, c in ipairs(chat) do
    local name, value = c[1], c[2]
    if string.sub(name, 1, 1) == '+' then
      redis.call('HINCRBY', marks, 'c.' .. string.sub(name, 2), value)
    else
      redis.call('HSET', marks, 'c.' .. name, value)
    end
  end
  if listed ~= '' then
    redis.call('SADD', scopes[1] .. ':tickets', listed)
    redis.call('EXPIRE', scopes[1] .. ':tickets', ttl)
  end
  for _, key in ipairs(scopes) do
    for _, f in ipairs(fields) do
      redis.call('HINCRBY', key, f[1], f[2])
      redis.call('HINCRBY', key, f[1] .. '@' .. hour, f[2])
    end
    redis.call('EXPIRE', key, ttl)
    for _, s in ipairs(samples) do
      local list = key .. ':' .. s[1]
      -- bounded: past `keep` samples a day, the oldest go (percentiles become those of the latest)
      redis.call('RPUSH', list, hour .. ':' .. s[2])
      redis.call('LTRIM', list, -keep, -1)
      redis.call('EXPIRE', list, ttl)
    end
    if comment ~= '' then
      redis.call('RPUSH', key .. ':comments', comment)
      redis.call('LTRIM', key .. ':comments', -keep, -1)
      redis.call('EXPIRE', key .. ':comments', ttl)
    end
  end
  return true
end

-- A chat fact of ticket `id` (its hash `t`: desk, rep), filed under the day and hour of its request.
-- A ticket without a stamp (requested before the stamps) is counted by a rebuild only. `listed`:
-- the ticket id of a request (listed in the desk day's tickets, for the per-chat CSV), else nil.
-- `operator_only`: the operator's scope only (factIncrements' operatorOnly).
local function count_chat_fact(prefix, id, t, once, operator, fields, samples, chat, listed, operator_only)
  local day, hour, ttl, keep = string.match(t.rep or '', '^([^|]+)|([^|]+)|([^|]+)|([^|]+)$')
  if not day then return false end
  local scopes = {}
  if not operator_only then scopes[1] = prefix .. 'report:desk:' .. t.desk .. ':' .. day end
  if operator then scopes[#scopes + 1] = prefix .. 'report:op:' .. operator .. ':' .. day end
  return count_fact(prefix .. 'report-marks:' .. id, once, tonumber(ttl), tonumber(keep), hour, scopes, fields, samples, '', chat, listed or '')
end

-- The first assignment: served, and the wait (factIncrements 'served').
local function report_served(prefix, id, jid, now)
  local h = redis.call('HMGET', prefix .. 'ticket:' .. id, 'desk', 'rep', 'createdAt')
  local wait = math.max(0, tonumber(now) - tonumber(h[3] or now))
  return count_chat_fact(prefix, id, { desk = h[1], rep = h[2] }, 'served', jid, { { 'served', 1 }, { 'waitMsSum', wait } },
    { { 'wait', wait } }, { { 'outcome', 'served' }, { 'operator', jid }, { 'waitMs', wait } })
end

-- A wait that ended without an assignment (factIncrements 'abandoned'); `t` is the ticket's hash.
local function report_abandoned(prefix, t, now)
  local wait = math.max(0, tonumber(now) - tonumber(t.createdAt or now))
  return count_chat_fact(prefix, t.id, t, 'abandoned', nil, { { 'abandoned', 1 } }, { { 'abandonWait', wait } },
    { { 'outcome', 'abandoned' }, { 'waitMs', wait } })
end

-- An active chat ended (factIncrements 'ended'): handle time, and missed when never answered.
local function report_ended(prefix, t, now)
  local handle = math.max(0, tonumber(now) - tonumber(t.assignedAt or now))
  local responded = tonumber(t.firstResponseAt or '0') > 0
  local fields = { { 'ended', 1 }, { 'handleMsSum', handle } }
  if not responded then fields[3] = { 'missed', 1 } end
  return count_chat_fact(prefix, t.id, t, 'ended:' .. t.operator, t.operator, fields, { { 'handle', handle } },
    { { 'operator', t.operator }, { 'handleMs', handle }, { 'missed', responded and 0 or 1 } })
end

-- The key prefix of a ticket's key (<prefix>ticket:<id>), for the scripts not given it.
local function prefix_of(ticket_key, id)
  return string.sub(ticket_key, 1, #ticket_key - #('ticket:' .. id))
end

-- A transfer (to an operator, to a desk, or a supervisor's takeover), counted for who had the chat
-- (factIncrements 'transfer': once per transfer time).
local function report_transfer(ticket_key, id, from, now)
  local h = redis.call('HMGET', ticket_key, 'desk', 'rep')
  return count_chat_fact(prefix_of(ticket_key, id), id, { desk = h[1], rep = h[2] }, 'transfer:' .. now, from,
    { { 'transfers', 1 } }, {}, { { '+transfers', 1 } })
end

-- A chat taken from its operator unanswered (routing.reassignUnansweredSeconds): a miss of theirs only.
local function report_unanswered(ticket_key, id, operator, now)
  local h = redis.call('HMGET', ticket_key, 'desk', 'rep')
  return count_chat_fact(prefix_of(ticket_key, id), id, { desk = h[1], rep = h[2] }, 'unanswered:' .. now, operator,
    { { 'missed', 1 } }, {}, {}, nil, true)
end
