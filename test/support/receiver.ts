/**
 * A webhook receiver for tests: a real HTTP server on 127.0.0.1, port 0, closed after the
 * test. It records every request (headers and raw body) and answers what `answer` says.
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { TestContext } from "node:test";

export interface Received {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: { delivery_id: string; event: string; data: any; created_at: string };
  /** The status answered; undefined while held open (or never, "hang"). */
  answered?: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** What to answer: a status, or "hang" (never answer). */
  answer: (request: Received) => number | "hang";
  close(): Promise<void>;
}

export async function startReceiver(t: TestContext, path = "/hook"): Promise<Receiver> {
  const hanging = new Set<http.ServerResponse>();
  const receiver: Receiver = {
    url: "",
    received: [],
    answer: () => 200,
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: Received["body"];
      try {
        body = JSON.parse(raw);
      } catch {
        body = { delivery_id: "", event: "", data: null, created_at: "" };
      }
      const got: Received = { headers: request.headers, raw, body };
      receiver.received.push(got);
      const answer = receiver.answer(got);
      if (answer === "hang") {
        hanging.add(response);
        return;
      }
      got.answered = answer;
      response.writeHead(answer, answer >= 300 && answer < 400 ? { location: "/elsewhere" } : {});
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  t.after(() => receiver.close());
  return receiver;
}

/** What a receiver computes to check X-Charla-Signature. */
export function expectedSignature(secret: string, raw: string): string {
  return `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
}
