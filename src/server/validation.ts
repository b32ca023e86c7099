/**
 * Payload validation with Ajv, shared by the HTTP routes and the socket handlers so both
 * answer the same VALIDATION_ERROR for the same mistake.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsImport from "ajv-formats";
import type { Static, TSchema } from "@sinclair/typebox";
import { ChatError } from "@charla/protocol/errors";
import { USER_IDS_PATTERN } from "@charla/protocol/schemas";

// ajv-formats is CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = addFormatsImport as unknown as typeof addFormatsImport.default;

/** The contract's one accepted form of a UUID: 8-4-4-4-12 hexadecimal digits, any case. */
export const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function createAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: false,
    coerceTypes,
    useDefaults: false,
    removeAdditional: false,
    strict: false,
  });
  addFormats(ajv, ["date-time"]);
  // ajv-formats' uuid also takes "urn:uuid:…", which PostgreSQL refuses: the contract's form only.
  ajv.addFormat("uuid", CANONICAL_UUID);
  ajv.addKeyword({
    keyword: "x-lowercase",
    type: "string",
    modifying: true,
    schemaType: "boolean",
    // The value is replaced in its parent (object or array) once its schema has matched, so
    // "A1B2…" and "a1b2…" are the same id everywhere after validation.
    compile: (enabled: boolean) => (data: string, context) => {
      if (enabled && context && context.parentData !== undefined) {
        (context.parentData as Record<string | number, unknown>)[context.parentDataProperty] =
          data.toLowerCase();
      }
      return true;
    },
  });
  return ajv;
}

/** Bodies and socket payloads: types must be right as sent. */
export const strictAjv = createAjv(false);
/** Query strings arrive as text: "?limit=10" means the number 10. */
export const queryAjv = createAjv(true);

/** What the protocol's patterns mean, in words a client developer can act on. */
const PATTERN_MEANINGS: Record<string, string> = {
  "^[^\\u0000]*$": "must not contain NUL (\\u0000) characters",
  "^[A-Za-z0-9_.-]+$": "may contain only letters A–Z, digits, _ . and -",
  [USER_IDS_PATTERN]: "must be at most 200 UUIDs separated by commas",
};

/** A readable sentence from Ajv's first error, e.g. "body: must NOT have more than 16000 characters". */
export function describeAjvErrors(
  errors: readonly ErrorObject[] | null | undefined,
  prefix = "",
): string {
  const first = errors?.[0];
  if (!first) return "The request is not valid.";
  const where = first.instancePath
    ? first.instancePath.slice(1).replaceAll("/", ".")
    : (first.params as { missingProperty?: string }).missingProperty
      ? ""
      : prefix || "payload";
  if (first.keyword === "required") {
    return `${(first.params as { missingProperty: string }).missingProperty} is required`;
  }
  if (first.keyword === "pattern") {
    const pattern = (first.params as { pattern: string }).pattern;
    return `${where}: ${PATTERN_MEANINGS[pattern] ?? `must match ${pattern}`}`;
  }
  if (first.keyword === "additionalProperties") {
    const extra = (first.params as { additionalProperty: string }).additionalProperty;
    return `${where ? `${where}: ` : ""}unknown property "${extra}"`;
  }
  return `${where}: ${first.message ?? "is not valid"}`;
}

const compiled = new WeakMap<TSchema, ValidateFunction>();

/** Returns the payload typed by its schema, or throws VALIDATION_ERROR saying what is wrong. */
export function validate<S extends TSchema>(schema: S, value: unknown): Static<S> {
  let check = compiled.get(schema);
  if (!check) {
    check = strictAjv.compile(schema);
    compiled.set(schema, check);
  }
  if (!check(value)) {
    const details = check.errors?.map((e) => ({ path: e.instancePath, message: e.message }));
    throw new ChatError("VALIDATION_ERROR", describeAjvErrors(check.errors), details);
  }
  return value as Static<S>;
}
