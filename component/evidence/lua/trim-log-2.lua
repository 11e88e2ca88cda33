--[[
  Retention: drops the oldest records from Redis (stream entry and content) below a seq,
  at most ARGV[2] per call, never the chain head (the last entry is what appends chain onto).
  The JSONL mirror keeps them; transcripts read trimmed records from there.
  KEYS[1] log stream   KEYS[2] content hash
  ARGV[1] keep records with seq >= this   ARGV[2] at most this many removed per call
  returns {removed, first seq left (0: empty)}
]]
local keepFrom = tonumber(ARGV[1])
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if not last then return { 0, 0 } end
local headSeq = tonumber(string.match(last[1], '^(%d+)'))
if keepFrom > headSeq then keepFrom = headSeq end
local rows = redis.call('XRANGE', KEYS[1], '-', '(' .. keepFrom .. '-0', 'COUNT', tonumber(ARGV[2]))
local ids, seqs = {}, {}
for i, row in ipairs(rows) do
  ids[i] = row[1]
  seqs[i] = string.match(row[1], '^(%d+)')
end
if #ids > 0 then
  redis.call('XDEL', KEYS[1], unpack(ids))
  redis.call('HDEL', KEYS[2], unpack(seqs))
end
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
return { #ids, first and tonumber(string.match(first[1], '^(%d+)')) or 0 }
