--[[
  Gives the leader lease up (clean stop, or the link to the server lost), if this holder still has it.
  KEYS[1] lease (hash: owner, token, expiresAt)
  ARGV[1] this instance  ARGV[2] its fencing token
  returns 1 when released, 0 when another instance (or a later token) holds it
]]
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] and redis.call('HGET', KEYS[1], 'token') == ARGV[2] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
