/**
 * What the domain tells the world after a change is committed. The realtime gateway
 * implements it (rooms, across nodes); the domain never imports Socket.IO.
 */
import type {
  Chat,
  MemberRoleEvent,
  Message,
  UserUpdatedEvent,
  Reactions,
  ReadEvent,
} from "@charla/protocol/schemas";

export interface ChatEvents {
  messageSent(message: Message): void;
  messageUpdated(message: Message): void;
  messageDeleted(message: Message): void;
  /** A message's reactions changed (and its change_seq with them). */
  reactionsChanged(reactions: Reactions): void;
  chatCreated(chat: Chat): void;
  /** A chat's name or description changed. */
  chatUpdated(chat: Chat): void;
  memberAdded(chat: Chat, userId: string): void;
  memberRemoved(chatId: string, userId: string): void;
  /** A group member's role changed: the chat's members are told. */
  memberRoleChanged(event: MemberRoleEvent): void;
  read(event: ReadEvent): void;
  /**
   * The user's tokens were revoked (domain/sessions.ts): every live socket of theirs, on
   * every node, is ended; with `keepVersion`, all but those opened with a token of that
   * version.
   */
  sessionsEnded(userId: string, keepVersion?: number): void;
  /** A user's display name or avatar changed: their contacts and own sockets hear it. */
  userUpdated(user: UserUpdatedEvent): void;
  /** `blockerId` now blocks `blockedId`: from now on neither hears the other's presence. */
  blockStarted(blockerId: string, blockedId: string): void;
  /** No block is left between the two users either way: they are contacts again if they share a chat. */
  blockEnded(blockerId: string, blockedId: string): void;
}
