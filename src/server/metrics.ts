/** Prometheus metrics (prom-client), one registry per app so several apps can share a process. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface MetricSources {
  /** Chats with changes the search index has not reached (read from the database per scrape). */
  searchChatsBehind?: () => Promise<number>;
}

export function createMetrics(sources: MetricSources = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "charla_" });
  return {
    registry,
    httpRequestSeconds: new Histogram({
      name: "charla_http_request_duration_seconds",
      help: "HTTP request duration by route and status",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    socketEventSeconds: new Histogram({
      name: "charla_socket_event_duration_seconds",
      help: "Socket event handling time by event and result code",
      labelNames: ["event", "result"] as const,
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    socketsConnected: new Gauge({
      name: "charla_sockets_connected",
      help: "Live Socket.IO connections on this node",
      registers: [registry],
    }),
    messagesStored: new Counter({
      name: "charla_messages_stored_total",
      help: "Messages committed to the database by this node",
      registers: [registry],
    }),
    commitBatchSize: new Histogram({
      name: "charla_commit_batch_size",
      help: "Messages per group-commit batch",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    commitSeconds: new Histogram({
      name: "charla_commit_duration_seconds",
      help: "Time to write one group-commit batch",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    searchChangesIndexed: new Counter({
      name: "charla_search_changes_indexed_total",
      help: "Message changes this node indexed for search after their commit",
      registers: [registry],
    }),
    searchChatsBehind: new Gauge({
      name: "charla_search_chats_behind",
      help: "Chats with changes not yet indexed for search (found all the same, more slowly)",
      registers: [registry],
      async collect() {
        if (sources.searchChatsBehind) this.set(await sources.searchChatsBehind());
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
