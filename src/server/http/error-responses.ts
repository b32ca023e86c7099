/**
 * The OpenAPI responses of the errors a route may answer, named by code: each under its
 * catalog status (@charla/protocol/errors), so a route's document cannot drift from what the
 * error handler sends.
 */
import { ERRORS, type ErrorCode } from "@charla/protocol/errors";
import { ErrorBody } from "@charla/protocol/schemas";

export function errorResponses(...codes: ErrorCode[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries(codes.map((code) => [ERRORS[code].status, ErrorBody]));
}
