// What the XRPC server answers to a request that is wrong before any handler
// runs: {error, message} with XRPC error names, never the JavaScript class
// names the body parser's errors carry (SyntaxError, PayloadTooLargeError).
// Two checks run in front of @atproto/xrpc-server, where its parsing is
// lenient: it reads an integer parameter with parseInt, so "abc" becomes 0
// and "1.5" becomes 1, and its lexicon validation takes a JSON array for an
// object (so `[1, 2, 3]` reached redriveDeadLetters as "no ids": redrive all).
// Both checks read the lexicons, so no handler repeats them.
import { InvalidRequestError, ResponseType, XRPCError } from "@atproto/xrpc-server";
import express from "express";
import { lexicons } from "../lexicon/lexicons.ts";

/** The largest JSON or text request body, in bytes. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** An error from the body parser (the http-errors package): a status, and a JS class name. */
interface HttpError extends Error {
  status: number;
  expose: boolean;
  type?: string;
  limit?: number;
}

const isHttpError = (err: unknown): err is HttpError =>
  err instanceof Error && typeof (err as Partial<HttpError>).status === "number" && "expose" in err;

/** The XRPC error for anything thrown while answering an XRPC request. */
export function xrpcErrorOf(err: unknown): XRPCError {
  if (!isHttpError(err)) return XRPCError.fromError(err);
  if (err.status === 413)
    return new XRPCError(
      ResponseType.PayloadTooLarge,
      `The request body is larger than ${err.limit ?? BODY_LIMIT_BYTES} bytes`,
    );
  if (err.type === "entity.parse.failed")
    return new InvalidRequestError(`The request body is not valid JSON: ${err.message}`);
  const named = err.status >= 400 && err.status < 500 && ResponseType[err.status] !== undefined;
  return named
    ? new XRPCError(err.status as ResponseType, err.message)
    : new InvalidRequestError(err.message);
}

function send(res: express.Response, error: XRPCError): void {
  res.status(error.statusCode).json(error.payload);
}

interface MethodDef {
  type: string;
  parameters?: { properties?: Record<string, { type: string; minimum?: number; maximum?: number }> };
  input?: { encoding?: string };
}

/** The query or procedure an /xrpc/<nsid> request names, if the lexicons declare it. */
function methodOf(req: express.Request): MethodDef | undefined {
  const match = /^\/xrpc\/([^/?]+)$/.exec(req.path);
  const def = match ? (lexicons.getDef(match[1] as string) as MethodDef | undefined) : undefined;
  return def?.type === "query" || def?.type === "procedure" ? def : undefined;
}

function rangeText(name: string, minimum?: number, maximum?: number): string {
  if (minimum !== undefined && maximum !== undefined)
    return `${name} must be an integer between ${minimum} and ${maximum}`;
  if (minimum !== undefined) return `${name} must be an integer of at least ${minimum}`;
  if (maximum !== undefined) return `${name} must be an integer of at most ${maximum}`;
  return `${name} must be an integer`;
}

/** Why the request's integer parameters are not what the lexicon says, or null. An empty value counts as absent, as the server takes it. */
function integerProblem(req: express.Request, def: MethodDef): string | null {
  const query = new URL(req.originalUrl, "http://request").searchParams;
  for (const [name, param] of Object.entries(def.parameters?.properties ?? {})) {
    if (param.type !== "integer") continue;
    for (const value of query.getAll(name)) {
      if (value === "") continue;
      const n = Number(value);
      const fits =
        /^-?\d{1,15}$/.test(value) &&
        (param.minimum === undefined || n >= param.minimum) &&
        (param.maximum === undefined || n <= param.maximum);
      if (!fits) return `${rangeText(name, param.minimum, param.maximum)}, not ${JSON.stringify(value)}`;
    }
  }
  return null;
}

const parseJson = express.json({ limit: BODY_LIMIT_BYTES });

/** The checks, as one middleware in front of the XRPC router. */
export function xrpcRequestChecks(): express.RequestHandler {
  return (req, res, next) => {
    const def = methodOf(req);
    if (!def) return next();
    const problem = integerProblem(req, def);
    if (problem) return send(res, new InvalidRequestError(problem));
    if (req.method !== "POST" || def.type !== "procedure" || def.input?.encoding !== "application/json")
      return next();
    // Parsed here, the body is not parsed again by the XRPC server (body-parser marks it read).
    parseJson(req, res, (err?: unknown) => {
      if (err) return send(res, xrpcErrorOf(err));
      const parsed = (req as { _body?: boolean })._body === true;
      if (parsed && (typeof req.body !== "object" || req.body === null || Array.isArray(req.body)))
        return send(res, new InvalidRequestError("The request body must be a JSON object"));
      next();
    });
  };
}

/** A method the lexicons declare but this Worker registers no handler for. */
export const notImplemented: express.RequestHandler = (req, res, next) => {
  if (!methodOf(req)) return next();
  send(
    res,
    new XRPCError(ResponseType.MethodNotImplemented, `${req.path.slice("/xrpc/".length)} is not served here`),
  );
};
