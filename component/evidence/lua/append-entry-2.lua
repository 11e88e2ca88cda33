--[[
  Appends a batch of hash-chained evidence records if, and only if, the chain head is still
  the one the writer chained them onto (compare-and-set), so two writers never fork the chain.
  The head is the stream's last entry itself: there is no separate head key to drift.
  KEYS[1] log stream: one entry per record, ID <seq>-0, fields h (canonical header: the hashed
          bytes) and x (hash)
  KEYS[2] content hash: field <seq> -> canonical content JSON (a redaction overwrites it)
  ARGV[1] expected head seq (0: empty chain)   ARGV[2] expected head hash   ARGV[3] n records
  ARGV[4 + 4(i-1) ...] record i: seq, header JSON, hash, content JSON
  ARGV[4 + 4n], ARGV[5 + 4n] (optional) redaction: target seq, marker JSON
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
for i = 1, n do
  if tonumber(ARGV[4 * i]) ~= headSeq + i then return { -3, i } end
end

local redactAt = 4 + 4 * n
local target = ARGV[redactAt]
if target then
  local current = redis.call('HGET', KEYS[2], target)
  if not current then return { -1, tonumber(target) } end
  local ok, decoded = pcall(cjson.decode, current)
  if ok and type(decoded) == 'table' and decoded['redacted'] == true then return { -2, tonumber(target) } end
end

local contents = {}
for i = 1, n do
  local base = 4 * i
  redis.call('XADD', KEYS[1], ARGV[base] .. '-0', 'h', ARGV[base + 1], 'x', ARGV[base + 2])
  contents[#contents + 1] = ARGV[base]
  contents[#contents + 1] = ARGV[base + 3]
end
if n > 0 then redis.call('HSET', KEYS[2], unpack(contents)) end
if target then redis.call('HSET', KEYS[2], target, ARGV[redactAt + 1]) end
return { 1, headSeq + n }
