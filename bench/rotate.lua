-- wrk script: each request takes the next path from a file (one path per line), so that a run covers many
-- different queries instead of repeating one. usage: wrk ... -s bench/rotate.lua http://HOST:PORT -- PATHS_FILE
local paths = {}
local i = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  i = math.random(#paths)
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
