--[[
  Retention: drops the oldest records from Redis (stream entries and their contents) below a
  seq, at most about ARGV[2] records per call, never the chain head (the last entry is what
  appends chain onto). The JSONL mirror keeps them; transcripts read trimmed records from there.
  An entry holds a batch (ID <first seq>-0, see append-batch-2.lua), so only whole entries go:
  the entry holding the cut point stays, with the few records of it below the cut.
  XTRIM MINID frees whole stream nodes (no entries copied out); the content fields (named by
  the entries' first seqs) go in HDELs of at most 1,000 names (Lua's unpack() fails at ~8,000
  values), naming every seq of the range (a name that is not a field costs nothing).
  KEYS[1] log stream   KEYS[2] content hash
  ARGV[1] keep records with seq >= this   ARGV[2] at most about this many removed per call
  returns {records removed, first seq left (0: empty)}
]]
local keepFrom = tonumber(ARGV[1])
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if not last then return { 0, 0 } end
local lastFirst = tonumber(string.match(last[1], '^(%d+)'))
local firstSeq = tonumber(string.match(redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1][1], '^(%d+)'))
if keepFrom <= firstSeq then return { 0, firstSeq } end
local cut = math.min(keepFrom, firstSeq + tonumber(ARGV[2]), lastFirst)
-- the entry holding `cut` stays: entries that start below it go
local holder = redis.call('XREVRANGE', KEYS[1], cut .. '-0', '-', 'COUNT', 1)[1]
local stop = tonumber(string.match(holder[1], '^(%d+)'))
if stop <= firstSeq then
  -- one batch larger than the per-call limit: take it whole if it ends below keepFrom
  local after = redis.call('XRANGE', KEYS[1], '(' .. firstSeq .. '-0', '+', 'COUNT', 1)[1]
  if not after then return { 0, firstSeq } end
  stop = tonumber(string.match(after[1], '^(%d+)'))
  if stop > keepFrom then return { 0, firstSeq } end
end
redis.call('XTRIM', KEYS[1], 'MINID', stop .. '-0')
local seqs = {}
for seq = firstSeq, stop - 1 do
  seqs[#seqs + 1] = seq
  if #seqs == 1000 then
    redis.call('HDEL', KEYS[2], unpack(seqs))
    seqs = {}
  end
end
if #seqs > 0 then redis.call('HDEL', KEYS[2], unpack(seqs)) end
return { stop - firstSeq, stop }
