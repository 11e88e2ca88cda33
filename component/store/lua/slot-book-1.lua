--[[
  The slot book (issue 19 §3; docs/architecture.md "Slot adoption"): how many of the server's
  component slots (ejabberd `domain_balancing`, `component_number` N) the instances' links hold.
  ejabberd puts a new connection into a vacant slot and gives a connection that finds none no
  slot at all (it is accepted and then gets nothing), so an instance connects only with a grant.
  KEYS[1] the book (hash: instance -> "expiresAt links want")
  ARGV[1] op: 'beat' (write this instance's count), 'claim' (its own link: granted while a slot is
          free, else it waits, marked as wanting), 'adopt' (one more link for a dead peer's slot:
          granted only while more slots are free than live instances want), 'leave'
  ARGV[2] this instance  ARGV[3] now (ms)  ARGV[4] entry lifetime (ms)  ARGV[5] N
  ARGV[6] this instance's links (connected or connecting; the instance's own count is the truth)
  ARGV[7] '1': this instance waits for a slot (beat)
  returns { granted, links held by live instances (with this one's), live others wanting, 1 if this
  instance's entry had run out (it was taken for dead) }
]]
local now = tonumber(ARGV[3])
local n = tonumber(ARGV[5])
local links = tonumber(ARGV[6])
local want = ARGV[7] == '1' and 1 or 0
local others, wanting, lapsed = 0, 0, 1
local book = redis.call('HGETALL', KEYS[1])
for i = 1, #book, 2 do
  local exp, l, w = string.match(book[i + 1], '^(%d+) (%d+) (%d)$')
  if not exp or tonumber(exp) < now then
    redis.call('HDEL', KEYS[1], book[i])
  elseif book[i] == ARGV[2] then
    lapsed = 0
  else
    others = others + tonumber(l)
    if w == '1' then wanting = wanting + 1 end
  end
end
if ARGV[1] == 'leave' then
  redis.call('HDEL', KEYS[1], ARGV[2])
  return { 0, others, wanting, lapsed }
end
local granted = 0
if ARGV[1] == 'claim' then
  if others + links < n then
    links, want, granted = links + 1, 0, 1
  else
    want = 1
  end
elseif ARGV[1] == 'adopt' then
  if others + links + wanting < n then links, granted = links + 1, 1 end
end
redis.call('HSET', KEYS[1], ARGV[2], string.format('%d %d %d', now + tonumber(ARGV[4]), links, want))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) * 10)
return { granted, others + links, wanting, lapsed }
