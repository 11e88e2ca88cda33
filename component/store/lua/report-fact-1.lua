--[[
  Add one report fact to the day rollups of its desk and operator (docs/reports.md), once: a
  fact already counted for the ticket (a retry, a second instance, a rebuild over live data)
  changes nothing. The facts of the transitions that change a chat's state are counted inside
  those transitions (includes/report-count.lua); this one is queued in the MULTI of
  the others (an offline message, a rating, a reply) and run by the rebuild.
  KEYS[1] the ticket's report marks (hash: fact name -> 1)
  ARGV[1] fact name  ARGV[2] retention (s)  ARGV[3] samples kept per list and day  ARGV[4] hour (00-23)
  ARGV[5] number of scopes, then each scope's day key
  then the number of counters, then name, increment pairs
  then the number of samples, then list, ms pairs
  then a comment (JSON) or ''
  then the number of chat row fields, then name, value pairs (a '+name' is added to), stored in
  KEYS[1] as 'c.<name>'; then the ticket id, or '' (a request: listed in the desk day's tickets)
  returns 1 when counted, 0 when it was counted before
]]
--- @include "report-count"
local i = 5
local function pairs_at(n, width)
  local out = {}
  for k = 1, n do
    if width == 1 then out[k] = ARGV[i] else out[k] = { ARGV[i], ARGV[i + 1] } end
    i = i + width
  end
  return out
end
local nscopes = tonumber(ARGV[i]); i = i + 1
local scopes = pairs_at(nscopes, 1)
local nfields = tonumber(ARGV[i]); i = i + 1
local fields = pairs_at(nfields, 2)
local nsamples = tonumber(ARGV[i]); i = i + 1
local samples = pairs_at(nsamples, 2)
local comment = ARGV[i]; i = i + 1
local nchat = tonumber(ARGV[i]); i = i + 1
local chat = pairs_at(nchat, 2)
local listed = ARGV[i]
if count_fact(KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], scopes, fields, samples, comment, chat, listed) then
  return 1
end
return 0
