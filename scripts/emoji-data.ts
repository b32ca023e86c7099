/**
 * Writes the emoji picker's data (web/public/emoji/<lang>.json) from emojibase-data: every
 * emoji up to Emoji 15.1 (what current browsers draw and the server's RGI check knows),
 * without skin tones, with its name and search words in English and Spanish, by group.
 * About a quarter of emojibase's compact file; the picker fetches it when first opened.
 *
 *   node --import tsx scripts/emoji-data.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const MAX_VERSION = 15.1;
const require = createRequire(import.meta.url);
const out = path.resolve(import.meta.dirname, "../web/public/emoji");
mkdirSync(out, { recursive: true });

interface Entry {
  emoji: string;
  label: string;
  tags?: string[];
  group?: number;
  order?: number;
  version: number;
}
interface Messages {
  groups: { key: string; message: string; order: number }[];
}

for (const lang of ["en", "es"]) {
  const data = JSON.parse(
    readFileSync(require.resolve(`emojibase-data/${lang}/data.json`), "utf8"),
  ) as Entry[];
  const messages = JSON.parse(
    readFileSync(require.resolve(`emojibase-data/${lang}/messages.json`), "utf8"),
  ) as Messages;
  const shown = data
    // Group 2 holds skin-tone and hair components, not emoji one reacts with.
    .filter((e) => e.group !== undefined && e.group !== 2 && e.version <= MAX_VERSION)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const groups = messages.groups
    .filter((g) => g.order !== 2)
    .map((g) => ({
      name: g.message.charAt(0).toUpperCase() + g.message.slice(1),
      // [emoji, name, search words]
      emoji: shown
        .filter((e) => e.group === g.order)
        .map((e) => [e.emoji, e.label, (e.tags ?? []).join(" ")]),
    }));
  writeFileSync(path.join(out, `${lang}.json`), JSON.stringify({ groups }));
}
