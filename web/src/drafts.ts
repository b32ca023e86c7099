/**
 * Unsent text per chat, kept in localStorage so switching chats and reloading keep it. Keyed
 * by user as well: two accounts used in one browser never see each other's drafts.
 */
const key = (userId: string, chatId: string) => `charla.draft.${userId}.${chatId}`;

export function readDraft(userId: string, chatId: string): string {
  try {
    return localStorage.getItem(key(userId, chatId)) ?? "";
  } catch {
    return ""; // storage disabled: drafts simply do not survive
  }
}

export function saveDraft(userId: string, chatId: string, text: string): void {
  try {
    if (text.trim()) localStorage.setItem(key(userId, chatId), text);
    else localStorage.removeItem(key(userId, chatId));
  } catch {
    // Full or disabled storage: the draft lives only while the chat is open.
  }
}
