/** How a chat is named and who "the other one" is: plain functions used across the UI. */
import type { Chat } from "@charla/client";
import { nameOf } from "./people.ts";

/** The other member of a direct chat, or null for a group. */
export function otherMember(chat: Chat, myId: string) {
  if (chat.type !== "direct") return null;
  return chat.members.find((m) => m.user_id !== myId) ?? chat.members[0] ?? null;
}

/** A direct chat is named after the other member; a group by its name, else its members. */
export function chatTitle(chat: Chat, myId: string): string {
  const other = otherMember(chat, myId);
  if (chat.type === "direct") return other ? nameOf(other) : "?";
  return chat.name ?? chat.members.map(nameOf).join(", ");
}

/** Lower case without accents: "Ángel" and "angel" are one search. */
export function foldForSearch(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Whether the user muted the chat (chat list items carry `muted`). */
export function isMuted(chat: object): boolean {
  return (chat as { muted?: unknown }).muted === true;
}
