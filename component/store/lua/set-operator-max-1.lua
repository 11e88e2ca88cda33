--[[
  An operator's capacity changes (!max): the hash and the desks' loads and ready sets together.
  KEYS[1] operator
  ARGV[1] operator bare JID  ARGV[2] max chats
  returns 1
]]
--- @include "operator-loads"
redis.call('HSET', KEYS[1], 'max', ARGV[2])
refresh_operator(KEYS[1], ARGV[1])
return 1
