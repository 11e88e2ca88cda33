--[[
  Appends a batch of hash-chained evidence records as ONE stream entry if, and only if, the
  chain head is still the one the writer chained them onto (compare-and-set), so two writers
  never fork the chain. The head is the stream's last entry itself: there is no separate head
  key to drift. In the same call it maintains the transcript index (per-ticket seq lists and
  ticket sets by desk, operator and customer), so an index never names a record that is not on
  the chain.
  KEYS[1] log stream: one entry per batch, ID <first seq>-0, fields
          h = the records' canonical headers (the hashed bytes), joined by '\n'
          x = their hashes, 64 hex digits each, concatenated
          (an entry written before batching holds one record: the same shape with n = 1)
  KEYS[2] content hash: field <first seq of the batch> -> the records' canonical contents,
          joined by '\n' (canonical JSON has no raw newline); a redaction rewrites one line
  ARGV[1] expected head seq (0: empty chain)   ARGV[2] expected head hash   ARGV[3] n records
  ARGV[4] index key prefix (<prefix>evidence:idx:); index keys are built from it (standalone Redis)
  ARGV[5] first seq   ARGV[6] headers   ARGV[7] hashes   ARGV[8] contents (as stored above)
  ARGV[9] g: index groups, one per ticket of the batch, each:
          ticket, k, k seqs (chain order), m, then m times: where ('tickets', 'd', 'o' or 'c'),
          value (desk, operator or customer bare JID; '' for tickets), ts of its first record.
          The writer sends only what it has not filed before (ZADD NX makes a repeat harmless).
  then (optional) redaction: target seq, marker JSON, '1' when the target was trimmed from
          Redis (only the redaction record is written; the archive applies the marker)
  index:  <idx>t:<ticket>   list of the ticket's seqs, in chain order
          <idx>tickets      zset ticket -> ts of its first record
          <idx>d:<desk>, <idx>o:<operator>, <idx>c:<customer>   zsets ticket -> first ts there
  returns {1, last seq}               appended
          {0, head seq, head hash}    head moved: nothing written; rechain onto it and retry
          {-1, target}                redaction target does not exist
          {-2, target}                redaction target is already redacted
          {-3, 0}                     the batch does not carry the next seq, or is malformed (writer bug)
]]
local function lastSeqOf(entry)
  local first = tonumber(string.match(entry[1], '^(%d+)'))
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'x' then return first + #fields[i + 1] / 64 - 1, string.sub(fields[i + 1], -64) end
  end
  return first, ''
end

local headSeq, headHash = 0, string.rep('0', 64)
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if last then headSeq, headHash = lastSeqOf(last) end
if tostring(headSeq) ~= ARGV[1] or headHash ~= ARGV[2] then
  return { 0, headSeq, headHash }
end

local n = tonumber(ARGV[3])
local idx = ARGV[4]
local firstSeq = ARGV[5]
if n < 1 or tonumber(firstSeq) ~= headSeq + 1 or #ARGV[7] ~= 64 * n then return { -3, 0 } end

-- index groups: walk them once to find where the optional redaction starts
local groups = {}
local at = 10
for _ = 1, tonumber(ARGV[9]) do
  local k = tonumber(ARGV[at + 1])
  local m = tonumber(ARGV[at + 2 + k])
  groups[#groups + 1] = { at, k, m }
  at = at + 3 + k + 3 * m
end

local target = ARGV[at]
local archived = ARGV[at + 2] == '1'
local targetField, targetLine, targetLines
if target then
  local t = tonumber(target)
  if archived then
    local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
    if not first or tonumber(string.match(first[1], '^(%d+)')) <= t then return { -1, t } end
  else
    local holder = redis.call('XREVRANGE', KEYS[1], target .. '-0', '-', 'COUNT', 1)[1]
    if not holder then return { -1, t } end
    local lastInHolder = lastSeqOf(holder)
    if lastInHolder < t then return { -1, t } end
    targetField = string.match(holder[1], '^(%d+)')
    local stored = redis.call('HGET', KEYS[2], targetField)
    if not stored then return { -1, t } end
    targetLines = {}
    for line in string.gmatch(stored, '[^\n]+') do targetLines[#targetLines + 1] = line end
    targetLine = t - tonumber(targetField) + 1
    local current = targetLines[targetLine]
    if not current then return { -1, t } end
    local ok, decoded = pcall(cjson.decode, current)
    if ok and type(decoded) == 'table' and decoded['redacted'] == true then return { -2, t } end
  end
end

redis.call('XADD', KEYS[1], firstSeq .. '-0', 'h', ARGV[6], 'x', ARGV[7])
redis.call('HSET', KEYS[2], firstSeq, ARGV[8])
for _, g in ipairs(groups) do
  local base, k, m = g[1], g[2], g[3]
  local ticket = ARGV[base]
  redis.call('RPUSH', idx .. 't:' .. ticket, unpack(ARGV, base + 2, base + 1 + k))
  local z = base + 3 + k
  for j = 0, m - 1 do
    local where, value, ts = ARGV[z + 3 * j], ARGV[z + 3 * j + 1], ARGV[z + 3 * j + 2]
    if where == 'tickets' then
      redis.call('ZADD', idx .. 'tickets', 'NX', ts, ticket)
    else
      redis.call('ZADD', idx .. where .. ':' .. value, 'NX', ts, ticket)
    end
  end
end
if targetField then
  targetLines[targetLine] = ARGV[at + 1]
  redis.call('HSET', KEYS[2], targetField, table.concat(targetLines, '\n'))
end
return { 1, headSeq + n }
