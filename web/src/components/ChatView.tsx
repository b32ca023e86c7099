import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ChatListItem, Message, User } from "@charla/client";
import { historyKey } from "../cache.ts";
import { useChatHistory } from "../hooks/useChatHistory.ts";
import type { Jump } from "../navigation.ts";
import { usePendingSends } from "../hooks/usePendingSends.ts";
import { ChatDetailsDialog } from "./ChatDetailsDialog.tsx";
import { BlockedNotice } from "./BlockedNotice.tsx";
import { ChatHeader } from "./ChatHeader.tsx";
import { Composer } from "./Composer.tsx";
import { MembersDialog } from "./MembersDialog.tsx";
import { MessageList } from "./MessageList.tsx";
import { TypingLine } from "./TypingLine.tsx";

/** One open chat: header, conversation, who is typing, and the message field. */
export function ChatView({
  chat,
  me,
  jump,
}: {
  chat: ChatListItem;
  me: User;
  /** A message to open at (from search). */
  jump: Jump | null;
}) {
  const queryClient = useQueryClient();
  const { history, messages } = useChatHistory(chat.id);
  const { pending, send, retry } = usePendingSends(chat.id);
  const [membersOpen, setMembersOpen] = useState(false);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [replyTo, setReplyTo] = useState<{ message: Message; senderName: string } | null>(null);

  return (
    <section className="chat" aria-labelledby="chat-title">
      <ChatHeader
        chat={chat}
        myId={me.id}
        onMembers={() => setMembersOpen(true)}
        onEdit={() => setDetailsOpen(true)}
      />
      {detailsOpen && <ChatDetailsDialog chat={chat} onClose={() => setDetailsOpen(false)} />}
      {membersOpen && (
        <MembersDialog chat={chat} myId={me.id} onClose={() => setMembersOpen(false)} />
      )}
      <MessageList
        chat={chat}
        me={me}
        history={history}
        messages={messages}
        pending={pending}
        onRetry={retry}
        onReply={(message, senderName) => setReplyTo({ message, senderName })}
        jump={jump}
      />
      <TypingLine chat={chat} myId={me.id} />
      <BlockedNotice chat={chat} myId={me.id} />
      <Composer
        chatId={chat.id}
        myId={me.id}
        members={chat.members}
        replyTo={replyTo}
        onCancelReply={() => setReplyTo(null)}
        onSend={(body, attachments) => {
          // Writing from a window around an old message: back to the present first.
          if (history.hasNextPage) void queryClient.resetQueries({ queryKey: historyKey(chat.id) });
          send(body, replyTo?.message.id ?? null, attachments);
          setReplyTo(null);
        }}
      />
    </section>
  );
}
