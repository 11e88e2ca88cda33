-- Bench experiment `component-read-size-64k` (BENCHMARKS.md F13): reads an external
-- component's stream (XEP-0114) in chunks of `component_read_size` bytes instead of Prosody's
-- `network_default_read_size` (4 KiB, core/portmanager.lua), which applies to every socket.
-- A component's one socket carries the traffic of all its users; clients keep the default.
-- Loaded on a Component: modules_enabled = { "component_read_size" }.
local read_size = module:get_option_number("component_read_size", 65536);

module:hook("component-authenticated", function (event)
	local conn = event.session.conn;
	if conn and conn.set_mode then
		conn:set_mode(read_size);
		module:log("info", "Component stream read in chunks of up to %d bytes", read_size);
	end
end);
