/**
 * Protective headers on every answer (@fastify/helmet). The web client keeps its token in
 * localStorage, so a script injected into the page could steal it: the Content-Security-Policy
 * lets the page run only its own bundled files (no inline script, no eval, nothing from other
 * origins) and never be framed. What each header is for: docs/security.md.
 */
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

export const CONTENT_SECURITY_POLICY = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "script-src-attr": ["'none'"],
  // React's style props go through the CSSOM, which CSP does not restrict.
  "style-src": ["'self'"],
  // Avatars and attachments are same-origin; previews of a picked file are blob: URLs.
  "img-src": ["'self'", "data:", "blob:"],
  "media-src": ["'self'", "blob:"],
  "font-src": ["'self'"],
  // The socket is same-origin ('self' covers ws: and wss: of the same host).
  "connect-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'none'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
};

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    // Not helmet's defaults: they add upgrade-insecure-requests, which breaks a server
    // reached over plain http on a LAN.
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    referrerPolicy: { policy: "no-referrer" },
    // API answers need a bearer token (no cookies), so cross-origin embedding reads nothing
    // private; avatars must show in clients on CORS_ORIGINS.
    crossOriginResourcePolicy: { policy: "cross-origin" },
    // Strict-Transport-Security only means something over https, where the proxy sets it.
    strictTransportSecurity: false,
  });
}
