import express from "express";
import registerApi from "./api/index.ts";
import { BODY_LIMIT_BYTES, notImplemented, xrpcErrorOf, xrpcRequestChecks } from "./api/request-checks.ts";
import type { AppContext } from "./context.ts";
import { createServer as createXrpcServer } from "./lexicon/index.ts";
import { registerWebRoutes, webError, webNotFound } from "./web/server/routes.ts";
import { serviceDidDocument } from "./well-known.ts";

/**
 * The HTTP application: the generated XRPC server, the two plain routes the
 * AT Protocol expects next to it (did.json and a health check), and the web
 * app's pages (src/web/server/).
 */
export function createApp(ctx: AppContext): express.Express {
  const server = createXrpcServer({
    // Outputs are checked against the lexicons: a handler bug becomes a 500
    // here rather than malformed data at the caller.
    validateResponse: true,
    payload: { jsonLimit: BODY_LIMIT_BYTES, textLimit: BODY_LIMIT_BYTES, blobLimit: 0 },
    // XRPC error names for the body parser's errors too (src/api/request-checks.ts).
    errorParser: xrpcErrorOf,
  });
  registerApi(server, ctx);

  const app = express();
  app.disable("x-powered-by");
  app.get("/xrpc/_health", (_req, res) => {
    res.json({ version: "atrarium" });
  });
  app.get("/.well-known/did.json", (_req, res) => {
    const doc = serviceDidDocument(ctx.config);
    if (!doc) {
      res.status(404).json({ error: "NotFound", message: "SERVICE_DID is not a did:web" });
      return;
    }
    res.json(doc);
  });
  app.use(xrpcRequestChecks());
  registerWebRoutes(app, ctx);
  app.use(webError);
  app.use(server.xrpc.router);
  app.use(notImplemented);
  app.use(webNotFound(ctx));
  app.use((_req: express.Request, res: express.Response) => {
    res.status(404).json({ error: "NotFound", message: "Not found" });
  });
  return app;
}
