--[[
  Appends a batch of hash-chained evidence records if, and only if, the chain head is still
  the one the writer chained them onto (compare-and-set), so two writers never fork the chain.
  The head is the stream's last entry itself: there is no separate head key to drift.
  In the same call it maintains the transcript index (per-ticket seq lists and ticket sets by
  desk, operator and customer), so an index never names a record that is not on the chain.
  KEYS[1] log stream: one entry per record, ID <seq>-0, fields h (canonical header: the hashed
          bytes) and x (hash)
  KEYS[2] content hash: field <seq> -> canonical content JSON (a redaction overwrites it)
  ARGV[1] expected head seq (0: empty chain)   ARGV[2] expected head hash   ARGV[3] n records
  ARGV[4] index key prefix (<prefix>evidence:idx:); index keys are built from it (standalone Redis)
  ARGV[5 + 10(i-1) ...] record i: seq, header JSON, hash, content JSON, then its index fields:
          ticket ('' none), ts, '1' to file the ticket in `tickets` ('' when this writer did before),
          desk, operator bare JID, customer bare JID ('' none, or already filed there by this writer:
          the writer skips what it knows is filed, so a chat's records do not repeat 4 ZADDs each)
  ARGV[5 + 10n], ARGV[6 + 10n], ARGV[7 + 10n] (optional) redaction: target seq, marker JSON,
          '1' when the target was trimmed from Redis (only the redaction record is written;
          the archive applies the marker)
  index:  <idx>t:<ticket>   list of the ticket's seqs, in chain order
          <idx>tickets      zset ticket -> ts of its first record
          <idx>d:<desk>, <idx>o:<operator>, <idx>c:<customer>   zsets ticket -> first ts there
  returns {1, last seq}               appended
          {0, head seq, head hash}    head moved: nothing written; rechain onto it and retry
          {-1, target}                redaction target does not exist
          {-2, target}                redaction target is already redacted
          {-3, i}                     record i does not carry the next seq (writer bug)
]]
local headSeqText, headHash = '0', string.rep('0', 64)
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if last then
  headSeqText = string.match(last[1], '^(%d+)')
  local fields = last[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'x' then headHash = fields[i + 1] end
  end
end
local headSeq = tonumber(headSeqText)
if headSeqText ~= ARGV[1] or headHash ~= ARGV[2] then
  return { 0, headSeq, headHash }
end

local n = tonumber(ARGV[3])
local idx = ARGV[4]
local W = 10
for i = 1, n do
  if tonumber(ARGV[5 + W * (i - 1)]) ~= headSeq + i then return { -3, i } end
end

local redactAt = 5 + W * n
local target = ARGV[redactAt]
local archived = ARGV[redactAt + 2] == '1'
if target then
  local current = redis.call('HGET', KEYS[2], target)
  if archived then
    local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
    if current or not first or tonumber(string.match(first[1], '^(%d+)')) <= tonumber(target) then return { -1, tonumber(target) } end
  else
    if not current then return { -1, tonumber(target) } end
    local ok, decoded = pcall(cjson.decode, current)
    if ok and type(decoded) == 'table' and decoded['redacted'] == true then return { -2, tonumber(target) } end
  end
end

local contents = {}
for i = 1, n do
  local base = 5 + W * (i - 1)
  local seq = ARGV[base]
  redis.call('XADD', KEYS[1], seq .. '-0', 'h', ARGV[base + 1], 'x', ARGV[base + 2])
  contents[#contents + 1] = seq
  contents[#contents + 1] = ARGV[base + 3]
  local ticket = ARGV[base + 4]
  if ticket ~= '' then
    local ts = ARGV[base + 5]
    redis.call('RPUSH', idx .. 't:' .. ticket, seq)
    if ARGV[base + 6] ~= '' then redis.call('ZADD', idx .. 'tickets', 'NX', ts, ticket) end
    if ARGV[base + 7] ~= '' then redis.call('ZADD', idx .. 'd:' .. ARGV[base + 7], 'NX', ts, ticket) end
    if ARGV[base + 8] ~= '' then redis.call('ZADD', idx .. 'o:' .. ARGV[base + 8], 'NX', ts, ticket) end
    if ARGV[base + 9] ~= '' then redis.call('ZADD', idx .. 'c:' .. ARGV[base + 9], 'NX', ts, ticket) end
  end
end
if n > 0 then redis.call('HSET', KEYS[2], unpack(contents)) end
if target and not archived then redis.call('HSET', KEYS[2], target, ARGV[redactAt + 1]) end
return { 1, headSeq + n }
