import type { ClientToServerEvents, ServerToClientEvents } from "#protocol/events";
import type { Socket } from "socket.io-client";

/** The socket with the contract's event maps, from the client's side. */
export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
