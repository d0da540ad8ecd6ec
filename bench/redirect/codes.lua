-- codes.lua — wrk script: each request asks for a random link code, the
-- same stream for tuike and for nginx.  @CODES@ is replaced by run.sh.
local codes = {}
for line in io.lines("@CODES@") do
	codes[#codes + 1] = "/s/" .. line
end
math.randomseed(os.time())

request = function()
	return wrk.format("GET", codes[math.random(#codes)])
end
