--[[
  Retention: drops the oldest records from Redis (stream entry and content) below a seq,
  at most ARGV[2] per call, never the chain head (the last entry is what appends chain onto).
  The JSONL mirror keeps them; transcripts read trimmed records from there.
  Seqs have no gaps and stream IDs are <seq>-0, so the records to drop are the range
  first .. stop: XTRIM MINID frees whole stream nodes (no entries copied out), and the content
  fields go in HDELs of at most 1,000 (Lua's unpack() fails at ~8,000 values: the previous
  version, which unpacked every ID of a call at once, failed whenever 8,000 or more were due).
  KEYS[1] log stream   KEYS[2] content hash
  ARGV[1] keep records with seq >= this   ARGV[2] at most this many removed per call
  returns {removed, first seq left (0: empty)}
]]
local keepFrom = tonumber(ARGV[1])
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if not last then return { 0, 0 } end
local headSeq = tonumber(string.match(last[1], '^(%d+)'))
if keepFrom > headSeq then keepFrom = headSeq end
local firstSeq = tonumber(string.match(redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1][1], '^(%d+)'))
local stop = math.min(keepFrom - 1, firstSeq + tonumber(ARGV[2]) - 1)
if stop < firstSeq then return { 0, firstSeq } end
local removed = redis.call('XTRIM', KEYS[1], 'MINID', (stop + 1) .. '-0')
local seqs = {}
for seq = firstSeq, stop do
  seqs[#seqs + 1] = seq
  if #seqs == 1000 then
    redis.call('HDEL', KEYS[2], unpack(seqs))
    seqs = {}
  end
end
if #seqs > 0 then redis.call('HDEL', KEYS[2], unpack(seqs)) end
return { removed, stop + 1 }
