-- Prosody 0.12 for `npm run bench -- --scenarios peer` (bench/lib/prosody.ts fills the
-- double-braced placeholders; the rendered file is written under a temporary directory).
-- Plain-text passwords over plain TCP are allowed because c2s listens on 127.0.0.1 only.
daemonize = false
pidfile = "{{dir}}/prosody.pid"
data_path = "{{dir}}/data"
log = { { levels = { min = "warn" }, to = "file", filename = "{{logFile}}" } }
-- The benchmark runs as root in its sandbox; Prosody refuses to otherwise.
run_as_root = true
-- No TLS: an empty certificate directory keeps Prosody from looking elsewhere.
certificates = "{{dir}}/certs"

c2s_ports = { {{c2sPort}} }
-- As Charla's sockets are: Node's listen backlog (511, not Prosody's 128, which with 200
-- logins in flight resets connections) and no Nagle delay on small writes.
network_settings = { tcp_backlog = 511, nagle = false }
c2s_interfaces = { "127.0.0.1" }
-- No server-to-server, no HTTP, no admin socket: nothing listens but c2s.
s2s_ports = {}
http_ports = {}
https_ports = {}
c2s_direct_tls_ports = {}
modules_disabled = { "s2s", "offline" }
modules_enabled = { "roster", "saslauth", "disco", "ping" }

-- SASL PLAIN checked against the stored password: the cheapest login Prosody has (no
-- PBKDF2 per connection), the counterpart of Charla's token in the handshake.
authentication = "internal_plain"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
disable_sasl_mechanisms = { "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS", "DIGEST-MD5" }

{{storage}}

VirtualHost "{{domain}}"

Component "{{mucDomain}}" "muc"
  modules_enabled = { "muc_mam" }
  -- Every room archived, like every Charla message is persisted; rooms usable at once.
  muc_log_all_rooms = true
  muc_log_by_default = true
  muc_room_locking = false
  muc_room_default_persistent = true
  restrict_room_creation = false
