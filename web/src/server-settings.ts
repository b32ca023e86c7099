/**
 * This server's registration mode and limits (GET /api/server), asked once per page load:
 * the sign-in page offers what registration admits, and a file over the server's own
 * MAX_UPLOAD_BYTES is refused before a byte is sent.
 */
import { useQuery } from "@tanstack/react-query";
import { UPLOAD_DEFAULT_MAX_BYTES, type ServerSettings } from "@charla/client";
import { api } from "./session.ts";

/** Kept when a user logs out: it belongs to the server, not to them. */
export const serverSettingsKey = ["server-settings"] as const;

export function useServerSettings(): ServerSettings | undefined {
  return useQuery({
    queryKey: serverSettingsKey,
    queryFn: () => api.serverSettings(),
    // An operator changes these with a restart; a reload picks that up.
    staleTime: Number.POSITIVE_INFINITY,
  }).data;
}

/** Until the server has answered, the contract's default. */
export function useUploadLimit(): number {
  return useServerSettings()?.limits.upload_bytes ?? UPLOAD_DEFAULT_MAX_BYTES;
}
