/**
 * The part of `@xmpp/client` (0.14, plain ES modules without types of its own) that the
 * benchmark's XMPP driver uses. Declared here instead of pulling in `@types/xmpp__client`,
 * whose dependency tree brings the typings of koa and express along.
 */
declare module "@xmpp/client" {
  import type { EventEmitter } from "node:events";

  export interface Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: (Element | string)[];
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    toString(): string;
  }

  export function xml(
    name: string,
    attrs?: Record<string, string>,
    ...children: (Element | string)[]
  ): Element;

  export type Authenticate = (
    credentials: { username: string; password: string },
    mechanism: string,
  ) => Promise<void>;

  export interface XmppClient extends EventEmitter {
    status: string;
    start(): Promise<unknown>;
    connect(service: string): Promise<unknown>;
    open(options: { domain: string }): Promise<unknown>;
    stop(): Promise<unknown>;
    send(element: Element): Promise<void>;
    reconnect: { stop(): void };
  }

  export function client(options: {
    service: string;
    domain: string;
    resource?: string;
    timeout?: number;
    credentials?: (authenticate: Authenticate, mechanisms: string[]) => Promise<void>;
  }): XmppClient;
}
