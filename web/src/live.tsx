/**
 * The live connection for the logged-in user: one `ChatClient` whose events are written
 * into react-query's cache, plus the state that only lives in the connection (presence,
 * typing, read positions, connection state), shared through one context per kind.
 */
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type ReactNode,
} from "react";
import {
  ChatError,
  connect,
  type ChatClient,
  type ChatListItem,
  type ConnectionState,
} from "@charla/client";
import {
  applyToChatList,
  chatsKey,
  deleteInChatList,
  deleteInHistory,
  dropChat,
  markMemberRead,
  markReadInChatList,
  setReactionsInHistory,
  upsertHistory,
} from "./cache.ts";
import { api, logOut, type Session } from "./session.ts";

const TYPING_TTL_MS = 6000;

/** The connection itself: changes only when the connection's state does. */
export interface Connection {
  client: ChatClient;
  state: ConnectionState;
  /** The chat on screen: its messages do not count as unread. */
  setActiveChat(chatId: string | null): void;
}

/** chat id → user ids typing there. */
export type Typing = ReadonlyMap<string, ReadonlySet<string>>;
/** chat id → user id → highest seq read while the page is open (the chat list's
 * `members[].last_read_seq` holds the positions from before). */
export type Reads = ReadonlyMap<string, ReadonlyMap<string, number>>;

// One context per kind of change, so that a component re-renders only for what it shows:
// a typing event reaches the typing line and the chat list, not the message list.
const ConnectionContext = createContext<Connection | null>(null);
const OnlineContext = createContext<ReadonlyMap<string, string>>(new Map());
const TypingContext = createContext<Typing>(new Map());
const ReadsContext = createContext<Reads>(new Map());

export function useConnection(): Connection {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error("useConnection outside <LiveProvider>");
  return connection;
}

/** Users online anywhere: `user_id → username`. */
export const useOnline = () => useContext(OnlineContext);
export const useTyping = () => useContext(TypingContext);
export const useReads = () => useContext(ReadsContext);

type TypingAction =
  { type: "set"; chatId: string; userId: string; typing: boolean } | { type: "clear" };

function typingReducer(state: Typing, action: TypingAction): Typing {
  if (action.type === "clear") return new Map();
  const users = new Set(state.get(action.chatId));
  if (action.typing === users.has(action.userId)) return state;
  if (action.typing) users.add(action.userId);
  else users.delete(action.userId);
  const next = new Map(state);
  next.set(action.chatId, users);
  return next;
}

function readsReducer(
  state: Reads,
  action: { chatId: string; userId: string; seq: number },
): Reads {
  const users = new Map(state.get(action.chatId));
  if ((users.get(action.userId) ?? -1) >= action.seq) return state;
  users.set(action.userId, action.seq);
  const next = new Map(state);
  next.set(action.chatId, users);
  return next;
}

function openClient(
  session: Session,
  chats: ChatListItem[],
  queryClient: QueryClient,
  activeChat: { current: string | null },
): ChatClient {
  // Start each chat's catch-up cursor where the list we already have ends.
  const since = Object.fromEntries(
    chats.map((chat) => [chat.id, chat.last_message?.change_seq ?? 0]),
  );
  const client = connect({ token: () => session.token, since });
  const isActive = (chatId: string) =>
    activeChat.current === chatId && document.visibilityState === "visible";

  client.on("message:send", (message) => {
    upsertHistory(queryClient, message);
    const countUnread = message.sender_id !== session.user.id && !isActive(message.chat_id);
    const mentionsMe = message.mentions.includes(session.user.id);
    if (!applyToChatList(queryClient, message, { countUnread, mentionsMe })) {
      void queryClient.invalidateQueries({ queryKey: chatsKey });
    }
  });
  client.on("message:update", (message) => {
    upsertHistory(queryClient, message);
    applyToChatList(queryClient, message, { countUnread: false });
  });
  client.on("message:reactions", (event) => setReactionsInHistory(queryClient, event));
  client.on("message:delete", (event) => {
    deleteInHistory(queryClient, event);
    deleteInChatList(queryClient, event);
  });
  const refreshChats = () => void queryClient.invalidateQueries({ queryKey: chatsKey });
  client.on("chat:created", refreshChats);
  // A display name or photo changed: chat members carry them, and so does "me".
  client.on("user:updated", (user) => {
    refreshChats();
    if (user.user_id === session.user.id) void queryClient.invalidateQueries({ queryKey: ["me"] });
  });
  client.on("chat:member_added", refreshChats);
  client.on("chat:member_updated", refreshChats);
  client.on("chat:updated", refreshChats);
  client.on("chat:member_removed", (event) => {
    if (event.user_id === session.user.id) dropChat(queryClient, event.chat_id);
    else refreshChats();
  });
  client.on("message:read", (event) => {
    markMemberRead(queryClient, event.chat_id, event.user_id, event.seq);
    if (event.user_id === session.user.id)
      markReadInChatList(queryClient, event.chat_id, event.seq);
  });
  client.on("connection:unauthorized", () => logOut());
  // The server ended the connection: a revoked or expired token means logging in again.
  client.on("connection:state", (state) => {
    if (state !== "disconnected") return;
    api.me().catch((error: unknown) => {
      if (error instanceof ChatError && error.code === "UNAUTHORIZED") logOut();
    });
  });
  return client;
}

export function LiveProvider({
  session,
  chats,
  children,
}: {
  session: Session;
  chats: ChatListItem[];
  children: ReactNode;
}) {
  const queryClient = useQueryClient();
  const activeChat = useRef<string | null>(null);
  const seedChats = useRef(chats);
  const [client, setClient] = useState<ChatClient | null>(null);
  const [state, setState] = useState<ConnectionState>("connecting");
  const [online, setOnline] = useState<ReadonlyMap<string, string>>(new Map());
  const [typing, dispatchTyping] = useReducer(typingReducer, new Map());
  const [reads, dispatchRead] = useReducer(readsReducer, new Map());

  useEffect(() => {
    // One client per session; the chat list we have only seeds its cursors.
    const opened = openClient(session, seedChats.current, queryClient, activeChat);
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    opened.on("connection:state", (next) => {
      setState(next);
      if (next !== "connected") dispatchTyping({ type: "clear" });
    });
    opened.on("presence:change", (users) => setOnline(new Map(users)));
    opened.on("typing", ({ chat_id, user_id, typing: isTyping }) => {
      const key = `${chat_id}:${user_id}`;
      clearTimeout(timers.get(key));
      dispatchTyping({ type: "set", chatId: chat_id, userId: user_id, typing: isTyping });
      // A lost "stopped typing" must not leave the indicator on forever.
      if (isTyping) {
        timers.set(
          key,
          setTimeout(() => {
            dispatchTyping({ type: "set", chatId: chat_id, userId: user_id, typing: false });
          }, TYPING_TTL_MS),
        );
      }
    });
    opened.on("message:send", (message) => {
      // A message from someone ends their typing, and means they read up to there.
      dispatchTyping({
        type: "set",
        chatId: message.chat_id,
        userId: message.sender_id,
        typing: false,
      });
      dispatchRead({ chatId: message.chat_id, userId: message.sender_id, seq: message.seq });
    });
    opened.on("message:read", (event) =>
      dispatchRead({ chatId: event.chat_id, userId: event.user_id, seq: event.seq }),
    );
    setClient(opened);
    setState(opened.state);
    return () => {
      for (const timer of timers.values()) clearTimeout(timer);
      opened.close();
    };
  }, [session, queryClient]);

  const connection = useMemo<Connection | null>(
    () =>
      client && {
        client,
        state,
        setActiveChat: (chatId) => {
          activeChat.current = chatId;
        },
      },
    [client, state],
  );

  if (!connection) return null;
  return (
    <ConnectionContext.Provider value={connection}>
      <OnlineContext.Provider value={online}>
        <ReadsContext.Provider value={reads}>
          <TypingContext.Provider value={typing}>{children}</TypingContext.Provider>
        </ReadsContext.Provider>
      </OnlineContext.Provider>
    </ConnectionContext.Provider>
  );
}
