-- Madoguchi on Prosody 0.12: a PRODUCTION SAMPLE. Copy it to /etc/prosody/prosody.cfg.lua and
-- adapt it; nothing here is a secret (the component secret comes from the environment).
-- What differs from prosody.cfg.lua (dev, tests, bench): TLS required on every stream, mod_limits
-- on at Prosody's own sample rates, no PLAIN without TLS, WebSocket only behind TLS, logs in files.
-- Checked by test/e2e/prosody-production-config.test.ts: `prosodyctl check config` passes, and a
-- Prosody started with it demands TLS before login and accepts the component's handshake.
local function env(name, default) local v = os.getenv(name); if v == nil or v == "" then return default end; return v end

local operator_domain = env("OPERATOR_DOMAIN", "example.com")        -- the operators' accounts
local guest_domain = env("GUEST_DOMAIN", "guest.example.com")        -- the widget's anonymous customers
local component_domain = env("COMPONENT_DOMAIN", "support.example.com")
local upload_domain = env("UPLOAD_DOMAIN", "upload.example.com")
local pubsub_domain = env("PUBSUB_DOMAIN", "pubsub." .. operator_domain) -- the evidence heads' witness
-- (Not named component_secret: in a Prosody config an option name on the right-hand side reads the option.)
local secret_from_env = os.getenv("COMPONENT_SECRET")
if not secret_from_env or secret_from_env == "" then
  error("COMPONENT_SECRET must be set (the same value as the component's component.secret)")
end

-- Ports and paths default to Debian's; the environment moves them (the config test runs it on free ports).
c2s_ports = { tonumber(env("PROSODY_C2S_PORT", "5222")) }
s2s_ports = { tonumber(env("PROSODY_S2S_PORT", "5269")) }
component_ports = { tonumber(env("PROSODY_COMPONENT_PORT", "5347")) }
run_as_root = env("PROSODY_RUN_AS_ROOT", "0") == "1" -- keep it off: Debian runs Prosody as its own user
pidfile = env("PROSODY_PIDFILE", "/run/prosody/prosody.pid")
data_path = env("PROSODY_DATA_DIR", "/var/lib/prosody")
certificates = env("PROSODY_CERTS_DIR", "certs") -- relative to this file's folder; see `prosodyctl cert`
log = {
  info = env("PROSODY_LOG", "/var/log/prosody/prosody.log");
  error = env("PROSODY_ERROR_LOG", "/var/log/prosody/prosody.err");
}

-- The component connects over loopback (XEP-0114 has no TLS): keep its port off the network.
-- PROSODY_INTERFACE (the config test) puts every port on that one address.
local only_on = os.getenv("PROSODY_INTERFACE")
if only_on then interfaces = { only_on } end
component_interfaces = only_on and { only_on } or { "127.0.0.1", "::1" }

-- Measured by `npm run bench` (BENCHMARKS.md): Nagle off (F6: ~40 ms stalls between a chat's end
-- notice and the next intro), Lua's generational collector (F7: dispatch p99 10-22 ms → 6-8 ms).
network_settings = { nagle = false }
gc = { mode = "generational" }

modules_enabled = {
  "roster"; "saslauth"; "tls"; "dialback"; "disco"; "carbons"; "pep"; "private"; "blocklist";
  "vcard4"; "vcard_legacy"; "limits"; "smacks"; "csi_simple"; "version"; "uptime"; "time"; "ping"; "offline";
  "posix"; "websocket"; "http"; "server_contact_info";
}

c2s_require_encryption = true
s2s_require_encryption = true
s2s_secure_auth = false -- true refuses servers without a valid certificate: stricter, less reachable
allow_unencrypted_plain_auth = false
allow_registration = false
authentication = "internal_hashed"
storage = "internal"

-- Client and server streams are rate-limited (Prosody's sample rates). Component streams are not:
-- the component's one stream carries every relayed message of every desk.
limits = {
  c2s = { rate = "10kb/s"; burst = "2s" };
  s2sin = { rate = "30kb/s"; burst = "2s" };
}

-- The widget's WebSocket (RFC 7395) and uploads are served over HTTPS only.
http_ports = {}
https_ports = { tonumber(env("PROSODY_HTTPS_PORT", "5281")) }
consider_websocket_secure = false -- true only behind a TLS-terminating proxy on loopback
http_external_url = env("PROSODY_HTTP_EXTERNAL_URL", "https://" .. operator_domain .. ":5281/")

contact_info = { abuse = { "mailto:abuse@" .. operator_domain } }

VirtualHost (operator_domain)

VirtualHost (guest_domain)
  authentication = "anonymous"
  allow_anonymous_s2s = false -- customers reach the desks, not the rest of the network
  disco_items = { { upload_domain, "File sharing" } }

Component (component_domain)
  component_secret = secret_from_env

-- XEP-0060 witness of the evidence log's signed heads (component: evidence.witness.pubsubService).
-- Only the component publishes; auditors subscribe and keep their own copies. A PubSub service on
-- a server the desk's own admins do not run is a stronger witness (component/evidence/README.md).
Component (pubsub_domain) "pubsub"
  admins = { component_domain }
  -- The newest 32 heads: with internal storage each publish reads (when full, rewrites) them all
  -- (~4 ms at 32, ~90 ms at 1,000); for a longer server-side history use SQL storage.
  pubsub_max_items = 32

Component (upload_domain) "http_file_share"
  http_file_share_size_limit = 10 * 1024 * 1024
  http_file_share_daily_quota = 100 * 1024 * 1024
  http_file_share_access = { operator_domain, guest_domain }
