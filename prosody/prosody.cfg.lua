-- Madoguchi's Prosody config for dev, tests and bench: one file, driven by the environment
-- (set by prosody/launcher.ts). Never based on Debian's /etc/prosody config, which enables
-- mod_limits at 10 kB/s per c2s connection. Production: start from prosody.production.cfg.lua (TLS, limits).
local function env(name, default) local v = os.getenv(name); if v == nil or v == "" then return default end; return v end
local function env_number(name, default) return tonumber(env(name, default)) end

local data = env("PROSODY_DATA_DIR", "/tmp/madoguchi-prosody")
local operator_domain = env("OPERATOR_DOMAIN", "localhost")
local guest_domain = env("GUEST_DOMAIN", "guest.localhost")
local component_domain = env("COMPONENT_DOMAIN", "support.localhost")
local upload_domain = env("UPLOAD_DOMAIN", "upload.localhost")
local pubsub_domain = env("PUBSUB_DOMAIN", "pubsub." .. operator_domain)
local http_port = env_number("PROSODY_HTTP_PORT", 5280)

run_as_root = env("PROSODY_RUN_AS_ROOT", "0") == "1"
daemonize = false
pidfile = data .. "/prosody.pid"
data_path = data
certificates = data .. "/certs"
interfaces = { env("PROSODY_INTERFACE", "127.0.0.1") }
local_interfaces = { env("PROSODY_INTERFACE", "127.0.0.1") }

c2s_ports = { env_number("PROSODY_C2S_PORT", 5222) }
s2s_ports = { env_number("PROSODY_S2S_PORT", 5269) }
component_ports = { env_number("PROSODY_COMPONENT_PORT", 5347) }
component_interfaces = { env("PROSODY_INTERFACE", "127.0.0.1") }
http_ports = { http_port }
http_interfaces = { env("PROSODY_INTERFACE", "127.0.0.1") }
https_ports = {}
local external_url = env("PROSODY_HTTP_EXTERNAL_URL", "http://localhost:" .. http_port .. "/")
http_external_url = external_url

-- Nagle off: Prosody's epoll backend delays back-to-back writes to one socket (e.g. a chat's
-- end notice then the next customer's intro) by ~40 ms with it on (measured by npm run bench).
network_settings = { nagle = false }

-- Lua 5.4's generational collector: the incremental one's periodic pauses made the dispatch
-- tail (p99 10-22 ms → 6-8 ms) and cost direct throughput (12.8k → 19.2k msgs/s); about
-- +7 KB per connection (BENCHMARKS.md F7).
gc = { mode = "generational" }

modules_enabled = {
  "roster"; "saslauth"; "disco"; "carbons"; "pep"; "private"; "vcard_legacy";
  "version"; "uptime"; "time"; "ping"; "register"; "posix"; "websocket"; "http"; "admin_shell"; "offline";
}
modules_disabled = { "s2s" }

-- Dev/test only: no TLS on loopback. SCRAM and ANONYMOUS work in plaintext.
c2s_require_encryption = false
s2s_require_encryption = false
allow_unencrypted_plain_auth = env("PROSODY_ALLOW_PLAIN", "1") == "1"
consider_websocket_secure = true
allow_registration = false
-- Tests lower PBKDF2 iterations so a JS SCRAM login does not take ~1 s.
default_iteration_count = env_number("PROSODY_SCRAM_ITERATIONS", 10000)

authentication = "internal_hashed"
storage = "internal"
log = { [env("PROSODY_LOG_LEVEL", "warn")] = "*console" }

VirtualHost (operator_domain)

VirtualHost (guest_domain)
  authentication = "anonymous"
  -- XEP-0363 for widget customers: their server lists the upload service (disco#items), which
  -- is not a subdomain of guest.localhost, so it would not be found otherwise.
  disco_items = { { upload_domain, "File sharing" } }

Component (component_domain)
  component_secret = env("COMPONENT_SECRET", "dev-secret-change-me")

Component (upload_domain) "http_file_share"
  http_file_share_size_limit = 10 * 1024 * 1024
  -- Operators and anonymous widget customers may upload (an empty list would mean: every local
  -- host). Uploads are PUT from the site's page: mod_http_file_share answers CORS for any origin.
  http_file_share_access = { operator_domain, guest_domain }
  -- Slot URLs name http_external_url's host, so requests arrive for that host (not for
  -- upload.localhost): serve the upload routes there, or the PUT and GET are 404.
  http_host = external_url:match("^%a+://([^/:]+)")

-- XEP-0060 witness of the evidence log's signed heads (component/evidence/README.md "Trust
-- model"): the component creates one node and publishes each checkpoint's head there; auditors
-- subscribe and keep their own copies. Only the component (an admin of this service) may create
-- and publish; anyone on the server may subscribe and read. Every retraction or purge is
-- broadcast to subscribers, so the writer cannot rewrite the history silently. The server keeps
-- the newest 32 heads: with internal storage a publish reads (when full, rewrites) all of them,
-- ~4 ms of Prosody at 32 items, ~90 ms at 1,000 (measured here); auditors keep the history.
Component (pubsub_domain) "pubsub"
  admins = { component_domain }
  pubsub_max_items = env_number("PUBSUB_MAX_ITEMS", 32)
