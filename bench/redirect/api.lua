-- api.lua — wrk script: each request names a random member from a list.
-- @IDS@ (a file, one id a line) and @PATTERN@ (a path with one %s) are
-- replaced by api_latency.sh.
local ids = {}
for line in io.lines("@IDS@") do
	ids[#ids + 1] = line
end
math.randomseed(os.time())

request = function()
	local path = string.format("@PATTERN@", ids[math.random(#ids)])
	return wrk.format("GET", path)
end
