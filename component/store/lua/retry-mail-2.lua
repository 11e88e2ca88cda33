--[[
  A mail failed for now: count the attempt and set its next try, unless it was erased meanwhile
  (then nothing is revived).
  KEYS[1] the mail (hash)  KEYS[2] due mails (zset)
  ARGV[1] id  ARGV[2] next try (ms)  ARGV[3] last error
  returns 1, or 0 when the mail is gone
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'lastError', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
