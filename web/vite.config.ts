import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

const root = decodeURIComponent(new URL(".", import.meta.url).pathname);
// Typed without Node's globals so that web/ type-checks with browser types only.
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
const target = env?.CHARLA_URL ?? "http://localhost:3000";

/**
 * The web client: `npm run build:web` writes `web/dist/`, which the server serves at `/`.
 * For development against a running server: `npx vite --config web/vite.config.ts`
 * (proxies `/api` and `/socket.io` to CHARLA_URL, default http://localhost:3000).
 */
export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  // The workspace packages (@charla/client, @charla/protocol) are used from their TypeScript
  // sources, not their built dist/.
  resolve: { conditions: ["source", ...defaultClientConditions] },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      "/api": { target },
      "/socket.io": { target, ws: true },
    },
  },
});
