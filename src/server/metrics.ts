/** Prometheus metrics (prom-client), one registry per app so several apps can share a process. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export function createMetrics() {
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
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
