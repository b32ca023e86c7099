/**
 * Typed functions for every HTTP route of the contract (`/api/...`). Isomorphic: uses the
 * global `fetch`, so it runs in browsers and on Node 20+.
 */
import { ChatError, codeForStatus, isErrorCode } from "#protocol/errors";
import { createFilesApi, type FilesApi } from "./files.ts";
import type {
  AuthResult,
  ChangePassword,
  Chat,
  ChatListItem,
  ChatSettings,
  CreateChat,
  Credentials,
  DeleteAccount,
  History,
  HistoryQuery,
  Message,
  PatchChat,
  PatchMe,
  PostMessage,
  SearchQuery,
  SearchResults,
  Registration,
  Reactions,
  ServerSettings,
  User,
  UserListItem,
  UsersQuery,
} from "#protocol/schemas";

/** Most ids one `GET /api/users?ids=` takes. */
const USERS_BY_IDS_MAX = 200;

/** Where the token comes from: called before every request, so a new login is picked up. */
export type TokenSource = string | null | undefined | (() => string | null | undefined);

export interface HttpApiOptions {
  /** A `fetch` implementation; defaults to the global one. */
  fetch?: typeof fetch;
}

/** The typed HTTP API. Every function throws a {@link ChatError} when the server says no. */
export interface HttpApi extends FilesApi {
  /**
   * `GET /api/server` (no token): whether registration is `open`, by `invite` or `closed`
   * right now, and this server's limits (`limits.upload_bytes` is its MAX_UPLOAD_BYTES).
   */
  serverSettings(): Promise<ServerSettings>;
  /**
   * `POST /api/auth/register` → `{ user, token, expires_at }`; with `REGISTRATION=invite`
   * pass the invite's code as `invite`; a refused registration is `FORBIDDEN`.
   */
  register(credentials: Registration): Promise<AuthResult>;
  /** `POST /api/auth/login` → `{ user, token, expires_at }`; `UNAUTHORIZED` on bad credentials. */
  login(credentials: Credentials): Promise<AuthResult>;
  /** `POST /api/auth/logout`: revokes the token and ends its sockets. */
  logout(): Promise<void>;
  /** `GET /api/users/me`. */
  me(): Promise<User>;
  /** `PATCH /api/users/me`: sets (or, with null, clears) the caller's display name. */
  updateMe(changes: PatchMe): Promise<User>;
  /**
   * `POST /api/auth/password`: every other token of the caller, the one in use included,
   * stops working; use the returned one from now on.
   */
  changePassword(input: ChangePassword): Promise<AuthResult>;
  /** `POST /api/auth/refresh`: a fresh token; the current one keeps working until it expires. */
  refresh(): Promise<AuthResult>;
  /** `DELETE /api/users/me`: closes the caller's account (for good). */
  deleteAccount(input: DeleteAccount): Promise<void>;
  /** `GET /api/users?q=&online=&limit=`. */
  searchUsers(query?: Omit<UsersQuery, "ids">): Promise<UserListItem[]>;
  /**
   * `GET /api/users?ids=`: presence on demand, for users who are not contacts (whose
   * presence is not pushed): those of `ids` that exist, in that order, each with `online`.
   * More than 200 ids are asked for in several requests.
   */
  usersByIds(ids: readonly string[]): Promise<UserListItem[]>;
  /** `GET /api/chats`: the caller's chats, most recent activity first. */
  listChats(): Promise<ChatListItem[]>;
  /** `GET /api/chats/:id`. */
  getChat(chatId: string): Promise<Chat>;
  /** `POST /api/chats`; a direct chat that already exists is returned as is. */
  createChat(input: CreateChat): Promise<Chat>;
  /** `POST /api/chats/:id/members` (owner of a group). */
  addMember(chatId: string, userId: string): Promise<void>;
  /** `DELETE /api/chats/:id/members/:user_id` (owner, or the user itself to leave). */
  removeMember(chatId: string, userId: string): Promise<void>;
  /**
   * `GET /api/chats/:id/messages`: ascending by `seq`. No cursor: the newest `limit`;
   * `before_seq`: the newest `limit` below it; `after_seq`: the first `limit` above it.
   */
  history(chatId: string, query?: HistoryQuery): Promise<History>;
  /** `POST /api/chats/:id/messages`; a repeated `client_msg_id` returns the original. */
  postMessage(chatId: string, input: PostMessage): Promise<Message>;
  /** `PATCH /api/messages/:id` (the sender only). */
  editMessage(messageId: string, body: string): Promise<Message>;
  /** `DELETE /api/messages/:id` (the sender, or the owner of the group). */
  deleteMessage(messageId: string): Promise<void>;
  /** `POST /api/chats/:id/read`: stores the caller's read position. */
  markRead(chatId: string, seq: number): Promise<void>;
  /**
   * `GET /api/search?q=&chat_id=&limit=&before=`: messages of the caller's chats with every
   * word of `q` (any case, with or without accents), newest first; pass the last result's
   * message id as `before` for the next page.
   */
  search(query: SearchQuery): Promise<SearchResults>;
  /** `PATCH /api/chats/:id`: renames or describes a group (owner or group admin). */
  updateChat(chatId: string, changes: PatchChat): Promise<Chat>;
  /** `PUT /api/chats/:id/settings`: the caller's own settings of a chat (mute). */
  setChatSettings(chatId: string, settings: ChatSettings): Promise<ChatSettings>;
  /** `PUT /api/messages/:id/reactions/:emoji`: adds the caller's reaction (one emoji). */
  react(messageId: string, emoji: string): Promise<Reactions>;
  /** `DELETE /api/messages/:id/reactions/:emoji`: takes the caller's reaction back. */
  unreact(messageId: string, emoji: string): Promise<Reactions>;
}

/** Builds a {@link ChatError} from a failed response's `{ error: { code, message } }` body. */
export async function errorFromResponse(response: Response): Promise<ChatError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error =
    typeof body === "object" && body !== null && "error" in body
      ? (body as { error: unknown }).error
      : undefined;
  if (typeof error === "object" && error !== null) {
    const { code, message, details } = error as {
      code?: unknown;
      message?: unknown;
      details?: unknown;
    };
    if (isErrorCode(code)) {
      return new ChatError(code, typeof message === "string" ? message : undefined, details);
    }
  }
  return new ChatError(codeForStatus(response.status));
}

/** A JSON request to `/api…`: the parsed answer, or a thrown {@link ChatError}. */
export type ApiRequest = <T>(
  method: string,
  path: string,
  body?: unknown,
  query?: Record<string, string | number | boolean | undefined>,
) => Promise<T>;

/** The one request function every typed API of this package is built on. */
export function createApiRequest(
  baseUrl: string,
  getToken: TokenSource = undefined,
  options: HttpApiOptions = {},
): ApiRequest {
  const root = `${baseUrl.replace(/\/+$/, "")}/api`;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    query?: Record<string, string | number | boolean | undefined>,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    const token = typeof getToken === "function" ? getToken() : getToken;
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let search = "";
    if (query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) params.set(key, String(value));
      }
      const text = params.toString();
      if (text) search = `?${text}`;
    }
    let response: Response;
    try {
      response = await doFetch(`${root}${path}${search}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch (cause) {
      throw new ChatError("UNAVAILABLE", "The server cannot be reached.", {
        cause: cause instanceof Error ? cause.message : String(cause),
      });
    }
    if (!response.ok) throw await errorFromResponse(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return request;
}

/**
 * Creates the typed HTTP API.
 *
 * @param baseUrl The server's origin, e.g. `http://localhost:3000`; `""` in a browser served
 *   by the same server.
 * @param getToken The bearer token, or a function returning it (called per request).
 *
 * @example
 * ```ts
 * import { createHttpApi } from "@charla/client";
 *
 * let token: string | null = null;
 * const api = createHttpApi("http://localhost:3000", () => token);
 * ({ token } = await api.login({ username: "ana", password: "correct horse" }));
 * const chats = await api.listChats();
 * const { messages, has_more } = await api.history(chats[0]!.id, { limit: 50 });
 * ```
 */
export function createHttpApi(
  baseUrl: string,
  getToken: TokenSource = undefined,
  options: HttpApiOptions = {},
): HttpApi {
  const request = createApiRequest(baseUrl, getToken, options);
  const id = (value: string) => encodeURIComponent(value);

  return {
    ...createFilesApi(baseUrl, getToken, options),
    serverSettings: () => request("GET", "/server"),
    register: (credentials) => request("POST", "/auth/register", credentials),
    login: (credentials) => request("POST", "/auth/login", credentials),
    logout: async () => {
      await request("POST", "/auth/logout");
    },
    me: () => request("GET", "/users/me"),
    updateMe: (changes) => request("PATCH", "/users/me", changes),
    changePassword: (input) => request("POST", "/auth/password", input),
    refresh: () => request("POST", "/auth/refresh"),
    deleteAccount: async (input) => {
      await request("DELETE", "/users/me", input);
    },
    searchUsers: async (query = {}) =>
      (await request<{ users: UserListItem[] }>("GET", "/users", undefined, query)).users,
    usersByIds: async (ids) => {
      const unique = [...new Set(ids)];
      const pages: Array<Promise<{ users: UserListItem[] }>> = [];
      for (let i = 0; i < unique.length; i += USERS_BY_IDS_MAX) {
        const page = unique.slice(i, i + USERS_BY_IDS_MAX).join(",");
        pages.push(request("GET", "/users", undefined, { ids: page }));
      }
      return (await Promise.all(pages)).flatMap((page) => page.users);
    },
    listChats: async () => (await request<{ chats: ChatListItem[] }>("GET", "/chats")).chats,
    getChat: (chatId) => request("GET", `/chats/${id(chatId)}`),
    createChat: (input) => request("POST", "/chats", input),
    addMember: async (chatId, userId) => {
      await request("POST", `/chats/${id(chatId)}/members`, { user_id: userId });
    },
    removeMember: async (chatId, userId) => {
      await request("DELETE", `/chats/${id(chatId)}/members/${id(userId)}`);
    },
    history: (chatId, query = {}) =>
      request("GET", `/chats/${id(chatId)}/messages`, undefined, query),
    postMessage: (chatId, input) => request("POST", `/chats/${id(chatId)}/messages`, input),
    editMessage: (messageId, body) => request("PATCH", `/messages/${id(messageId)}`, { body }),
    deleteMessage: async (messageId) => {
      await request("DELETE", `/messages/${id(messageId)}`);
    },
    markRead: async (chatId, seq) => {
      await request("POST", `/chats/${id(chatId)}/read`, { seq });
    },
    search: (query) => request("GET", "/search", undefined, query),
    updateChat: (chatId, changes) => request("PATCH", `/chats/${id(chatId)}`, changes),
    setChatSettings: (chatId, settings) =>
      request("PUT", `/chats/${id(chatId)}/settings`, settings),
    react: (messageId, emoji) =>
      request("PUT", `/messages/${id(messageId)}/reactions/${id(emoji)}`),
    unreact: (messageId, emoji) =>
      request("DELETE", `/messages/${id(messageId)}/reactions/${id(emoji)}`),
  };
}
