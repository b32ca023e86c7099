/**
 * The presence bookkeeping in Redis, as Lua scripts: each runs atomically, so two nodes can
 * never both see a user's "first" or "last" socket, and a dead node is reaped exactly once.
 *
 * Keys (all under one hash tag, so they share a slot on a Redis Cluster too):
 * - `nodes`      sorted set: node key → deadline (ms, Redis clock); refreshed by heartbeats
 * - `node:<key>` hash: socket id → user id, the live sockets of one node
 * - `counts`     hash: user id → live sockets anywhere
 * - `names`      hash: user id → username, for every user online anywhere (`users:list`)
 * - `epoch`      string: changes when Redis lost its data (restart without persistence)
 */
import { createHash } from "node:crypto";

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

export interface Script {
  source: string;
  sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

/**
 * KEYS nodes, node, counts, names; ARGV socket, user, username, nodeKey.
 * Returns 1 when this is the user's first socket anywhere, 0 if not, -1 when this node is not
 * registered (it was reaped, or Redis lost its data): the caller then re-registers everything.
 */
export const CONNECT = script(`
if redis.call('ZSCORE', KEYS[1], ARGV[4]) == false then return -1 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
local n = redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
redis.call('HSET', KEYS[4], ARGV[2], ARGV[3])
if n == 1 then return 1 end
return 0`);

/**
 * KEYS node, counts, names; ARGV socket, user.
 * Returns 1 when that was the user's last socket anywhere. A socket this node no longer owns
 * in Redis (reaped meanwhile) returns 0: whoever reaped it announced it.
 */
export const DISCONNECT = script(`
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
local n = redis.call('HINCRBY', KEYS[2], ARGV[2], -1)
if n <= 0 then
  redis.call('HDEL', KEYS[2], ARGV[2])
  redis.call('HDEL', KEYS[3], ARGV[2])
  return 1
end
return 0`);

/**
 * KEYS nodes, epoch; ARGV nodeKey, expiryMs, epoch this node registered under.
 * Refreshes the node's deadline. Returns 0 (and refreshes nothing) when the node must
 * re-register: it is not in \`nodes\` any more, or the epoch changed.
 */
export const HEARTBEAT = script(`
${NOW}
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false then return 0 end
if redis.call('GET', KEYS[2]) ~= ARGV[3] then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 1`);

/**
 * KEYS nodes, node, counts, names, epoch; ARGV nodeKey, expiryMs, newEpoch, then
 * (socket, user, username) for every live socket of this node.
 * Replaces the node's sockets with the given ones and registers the node.
 * Returns { epoch, wasRegistered (0/1), usersNowOnline, usersNowOffline }.
 */
export const RESYNC = script(`
${NOW}
local epoch = redis.call('GET', KEYS[5])
if not epoch then
  epoch = ARGV[3]
  redis.call('SET', KEYS[5], epoch)
end
local registered = 0
if redis.call('ZSCORE', KEYS[1], ARGV[1]) ~= false then registered = 1 end
local dropped = {}
local old = redis.call('HGETALL', KEYS[2])
for i = 1, #old, 2 do
  local user = old[i + 1]
  if redis.call('HINCRBY', KEYS[3], user, -1) <= 0 then
    redis.call('HDEL', KEYS[3], user)
    dropped[user] = true
  end
end
redis.call('DEL', KEYS[2])
local online = {}
for i = 4, #ARGV, 3 do
  local user = ARGV[i + 1]
  redis.call('HSET', KEYS[2], ARGV[i], user)
  redis.call('HSET', KEYS[4], user, ARGV[i + 2])
  if redis.call('HINCRBY', KEYS[3], user, 1) == 1 then
    if dropped[user] then dropped[user] = nil else table.insert(online, user) end
  end
end
local offline = {}
for user in pairs(dropped) do
  redis.call('HDEL', KEYS[4], user)
  table.insert(offline, user)
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return { epoch, registered, online, offline }`);

/**
 * KEYS nodes, counts, names; ARGV node key prefix, this node's key, "1" to reap this node
 * itself (graceful leave) or "0" to reap the others whose deadline passed.
 * Removes those nodes and their sockets; returns the users left with no socket anywhere.
 */
export const REAP = script(`
${NOW}
local nodes
if ARGV[3] == '1' then nodes = { ARGV[2] } else
  nodes = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
end
local gone = {}
local seen = {}
for _, node in ipairs(nodes) do
  if ARGV[3] == '1' or node ~= ARGV[2] then
    local key = ARGV[1] .. node
    local entries = redis.call('HGETALL', key)
    for i = 1, #entries, 2 do
      local user = entries[i + 1]
      if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then
        redis.call('HDEL', KEYS[2], user)
        redis.call('HDEL', KEYS[3], user)
        if not seen[user] then
          seen[user] = true
          table.insert(gone, user)
        end
      end
    end
    redis.call('DEL', key)
    redis.call('ZREM', KEYS[1], node)
  end
end
return gone`);
