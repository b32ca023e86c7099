/**
 * Who hears about a user (PRESENCE_SCOPE, CONTRACT.md "Presence scope").
 *
 * `shared` (default): the user's contacts, the users sharing at least one chat with them.
 * Their live sockets are exactly the sockets in the rooms of the user's chats. Every node
 * already keeps those rooms in memory, and the adapter keeps them current on every node as
 * members are added and removed; so announcing to the rooms of the user's chats reaches each
 * online contact's sockets once (Socket.IO delivers a socket in several rooms one copy), costs
 * each node only the contacts' sockets it holds, and needs no query per presence event.
 *
 * `everyone`: v1, every connected client hears everyone (its cost grows with the square of
 * the users online).
 *
 * In both, two users in a block (either way) are not each other's contacts: each user's
 * sockets are in the other's block room, which presence about the other skips.
 */
import type { Logger } from "pino";
import type { BroadcastOperator } from "socket.io";
import type { ServerToClientEvents } from "@charla/protocol/events";
import type { Chat, OnlineUser } from "@charla/protocol/schemas";
import type { PresenceScope } from "../config.ts";
import type { ChatEvents } from "../domain/events.ts";
import type { Presence } from "../domain/presence.ts";
import { onlineUser } from "../domain/users.ts";
import type { ChatStore } from "../storage/chat-store.ts";
import type { UserStore } from "../storage/user-store.ts";
import {
  blockRoom,
  chatRoom,
  userRoom,
  type ChatServer,
  type ChatSocket,
  type SocketData,
} from "./types.ts";

export type Audience = BroadcastOperator<ServerToClientEvents, SocketData>;

export interface PresenceScopeDeps {
  io: ChatServer;
  scope: PresenceScope;
  presence: Presence;
  chats: Pick<ChatStore, "contactIdsOf" | "idsOfUsers">;
  /** Profiles for the online users a payload lists (presence itself keeps only usernames). */
  users: Pick<UserStore, "findByIds">;
  log: Logger;
}

const CHAT_ROOM_PREFIX = chatRoom("");
const BLOCK_ROOM_PREFIX = blockRoom("");

/** The chats a socket is in now (its chat rooms), as chat ids. */
export function chatIdsOfSocket(socket: ChatSocket): string[] {
  const ids: string[] = [];
  for (const room of socket.rooms) {
    if (room.startsWith(CHAT_ROOM_PREFIX)) ids.push(room.slice(CHAT_ROOM_PREFIX.length));
  }
  return ids;
}

/** The users in a block with the socket's user now (the block rooms it is in). */
export function blockPeersOfSocket(socket: ChatSocket): Set<string> {
  const ids = new Set<string>();
  for (const room of socket.rooms) {
    if (room.startsWith(BLOCK_ROOM_PREFIX)) ids.add(room.slice(BLOCK_ROOM_PREFIX.length));
  }
  return ids;
}

/** Rooms presence about `userId` skips: the user's own sockets and those of users in a block with them. */
const notHearing = (userId: string) => [userRoom(userId), blockRoom(userId)];

export function createPresenceScope(deps: PresenceScopeDeps) {
  const { io, scope, presence, log } = deps;
  const shared = scope === "shared";

  /**
   * Everyone who hears about `userId`, whose chats are `chatIds`, except the user's own
   * sockets; undefined when nobody does (a user in no chat has no contacts).
   */
  function audienceOf(userId: string, chatIds: readonly string[]): Audience | undefined {
    if (!shared) return io.except(notHearing(userId));
    // Careful: `io.to([])` would be everyone.
    if (chatIds.length === 0) return undefined;
    return io.to(chatIds.map(chatRoom)).except(notHearing(userId));
  }

  function announceArrival(user: OnlineUser, chatIds: readonly string[]) {
    const audience = audienceOf(user.user_id, chatIds);
    audience?.emit("user:connected", user);
    audience?.emit("users:online", user);
  }

  function announceDeparture(userId: string, chatIds: readonly string[]) {
    audienceOf(userId, chatIds)?.emit("user:disconnected", { user_id: userId });
  }

  /** The chats of users this node holds no socket of (a dead node's): one query for all. */
  async function chatsOf(userIds: readonly string[]): Promise<Map<string, string[]>> {
    return shared ? deps.chats.idsOfUsers(userIds) : new Map();
  }

  /** `online` with each user's display name and avatar: one query, whatever their number. */
  async function withProfiles(online: OnlineUser[]): Promise<OnlineUser[]> {
    if (online.length === 0) return online;
    const stored = await deps.users.findByIds(online.map((user) => user.user_id));
    const profiles = new Map(stored.map((user) => [user.id, onlineUser(user)]));
    return online.map((user) => profiles.get(user.user_id) ?? user);
  }

  const failed = (what: string) => (error: unknown) =>
    log.error({ err: error }, `presence: ${what} failed`);

  // A user's profile announcements, one after another: each waits for a query before it
  // emits, and two changes made in quick succession must not reach contacts in the other
  // order (the last one heard is what they keep showing).
  const profileAnnouncements = new Map<string, Promise<void>>();
  function announceInTurn(userId: string, announce: () => Promise<unknown>) {
    const next = (profileAnnouncements.get(userId) ?? Promise.resolve())
      .then(announce)
      .then(() => undefined, failed("announcing a profile change"));
    profileAnnouncements.set(userId, next);
    void next.then(() => {
      if (profileAnnouncements.get(userId) === next) profileAnnouncements.delete(userId);
    });
  }

  /** Every online member of the chat hears every other: they may have just become contacts. */
  async function introduceAll(chat: Chat) {
    const online = await withProfiles(
      await presence.onlineAmong(chat.members.map((m) => m.user_id)),
    );
    if (online.length < 2) return;
    for (const user of online) {
      io.to(chatRoom(chat.id)).except(notHearing(user.user_id)).emit("users:online", user);
    }
  }

  /** The newcomer and the chat's other online members hear about each other. */
  async function introduceNewcomer(chat: Chat, newcomerId: string) {
    const online = await withProfiles(
      await presence.onlineAmong(chat.members.map((m) => m.user_id)),
    );
    const newcomer = online.find((user) => user.user_id === newcomerId);
    if (!newcomer) return;
    for (const user of online) {
      if (user.user_id === newcomerId) continue;
      io.to(userRoom(newcomerId)).except(blockRoom(user.user_id)).emit("users:online", user);
    }
    io.to(chatRoom(chat.id)).except(notHearing(newcomerId)).emit("users:online", newcomer);
  }

  /** Whether `a` and `b` would hear each other without a block: they share a chat. */
  async function wouldBeContacts(a: string, b: string): Promise<boolean> {
    return (await deps.chats.contactIdsOf(a)).includes(b);
  }

  /** A block started between contacts: each online one stops seeing the other online. */
  async function parted(a: string, b: string) {
    if (!(await wouldBeContacts(a, b))) return;
    for (const user of await presence.onlineAmong([a, b])) {
      const other = user.user_id === a ? b : a;
      io.to(userRoom(other)).emit("user:disconnected", { user_id: user.user_id });
    }
  }

  /** The last block between contacts ended: if both are online, each hears the other. */
  async function reunited(a: string, b: string) {
    if (!(await wouldBeContacts(a, b))) return;
    const online = await withProfiles(await presence.onlineAmong([a, b]));
    if (online.length < 2) return;
    for (const user of online) {
      const other = user.user_id === a ? b : a;
      io.to(userRoom(other)).emit("users:online", user);
    }
  }

  /**
   * The sockets of the user's contacts (everyone's in the `everyone` scope), and the
   * user's own with `self`; undefined when that is nobody. For what follows the presence
   * scope, such as `user:updated`. Costs one query (the user's chats).
   */
  async function toContacts(userId: string, { self = false } = {}): Promise<Audience | undefined> {
    if (!shared) return io.except(self ? blockRoom(userId) : notHearing(userId));
    const chatIds = (await deps.chats.idsOfUsers([userId])).get(userId) ?? [];
    if (self) return io.to([...chatIds.map(chatRoom), userRoom(userId)]).except(blockRoom(userId));
    return audienceOf(userId, chatIds);
  }

  return {
    scope,
    announceArrival,
    announceDeparture,

    /**
     * `users:list` for a user: itself and its online contacts, or everyone online; never
     * the users in `blockPeers` (in a block with the user).
     */
    async listFor(user: OnlineUser, blockPeers: ReadonlySet<string>): Promise<OnlineUser[]> {
      if (!shared) {
        const everyone = await withProfiles(await presence.online());
        return everyone
          .filter((other) => !blockPeers.has(other.user_id))
          .map((other) => (other.user_id === user.user_id ? user : other));
      }
      const contacts = await deps.chats.contactIdsOf(user.user_id);
      const online = await withProfiles(
        await presence.onlineAmong(contacts.filter((id) => !blockPeers.has(id))),
      );
      return [user, ...online.filter((other) => other.user_id !== user.user_id)];
    },

    toContacts,

    /** Users found gone without a goodbye (a dead node's), announced by the node that found them. */
    announceGone(userIds: readonly string[]): void {
      chatsOf(userIds)
        .then((chats) => {
          for (const userId of userIds) announceDeparture(userId, chats.get(userId) ?? []);
        })
        .catch(failed("announcing users gone"));
    },

    /** Users of this node back online after it had been reaped while cut off from Redis. */
    announceBack(users: readonly OnlineUser[]): void {
      chatsOf(users.map((user) => user.user_id))
        .then((chats) => {
          for (const user of users) announceArrival(user, chats.get(user.user_id) ?? []);
        })
        .catch(failed("announcing users back"));
    },

    /**
     * `events` that also tell users who start sharing a chat (created, member added) that the
     * other is online. Users who stop sharing any chat are told nothing: they just stop
     * hearing each other, as they leave the rooms.
     */
    introducing(events: ChatEvents): ChatEvents {
      // In both scopes: blocks part and reunite users, and profile changes follow presence
      // (the user's contacts and own sockets hear them).
      const always: ChatEvents = {
        ...events,
        blockStarted(blockerId, blockedId) {
          events.blockStarted(blockerId, blockedId);
          parted(blockerId, blockedId).catch(failed("parting blocked users"));
        },
        blockEnded(blockerId, blockedId) {
          events.blockEnded(blockerId, blockedId);
          reunited(blockerId, blockedId).catch(failed("reuniting unblocked users"));
        },
        userUpdated(user) {
          announceInTurn(user.user_id, () =>
            toContacts(user.user_id, { self: true }).then((audience) =>
              audience?.emit("user:updated", user),
            ),
          );
        },
      };
      if (!shared) return always;
      return {
        ...always,
        chatCreated(chat) {
          events.chatCreated(chat);
          introduceAll(chat).catch(failed("introducing a chat's members"));
        },
        memberAdded(chat, userId) {
          events.memberAdded(chat, userId);
          introduceNewcomer(chat, userId).catch(failed("introducing a new member"));
        },
      };
    },
  };
}

export type PresenceScopeService = ReturnType<typeof createPresenceScope>;
