// The web app's routes on the Worker's Express app: the public pages (HTML
// that works without JavaScript), sign-in pages, the OAuth client metadata,
// and one small JSON read for the browser code. Built assets (/assets/*) are
// served by Workers static assets before the Worker runs.
import { isValidDid } from "@atproto/syntax";
import type express from "express";
import type { AppContext } from "../../context.ts";
import type { CommunityView } from "../../lexicon/types/com/atrarium/community/defs.ts";
import { COLLECTIONS, parseCommunityUri, parseRecordUri } from "../../records/address.ts";
import { Hydrator } from "./hydrate.ts";
import { allowHydrate, callBudget } from "./hydrate-limits.ts";
import { type PageInput, renderPage } from "./layout.ts";
import { communityPath, hashtagOfSlug } from "./links.ts";
import { BAD_CURSOR, communityByHashtag, loadCommunityPage, loadHomePage, loadManagePage } from "./load.ts";
import { appOrigin, CALLBACK_PATH, CLIENT_METADATA_PATH, clientMetadata, webConfig } from "./oauth.ts";
import { communityBody, communityMeta, communityPageData } from "./pages/community.ts";
import { homeBody, homeMeta, SEARCH_MAX_LENGTH } from "./pages/home.ts";
import { manageBody, manageMeta } from "./pages/manage.ts";
import { notFoundBody, notFoundMeta } from "./pages/not-found.ts";
import { callbackBody, callbackMeta, safeNext, signInBody, signInMeta } from "./pages/signin.ts";
import { appviewSource } from "./sources/appview.ts";
import { pdsSource } from "./sources/pds.ts";

type Handler = (req: express.Request, res: express.Response, next: express.NextFunction) => Promise<void>;

/** Express 4 does not catch a rejected promise: hand it to the error handler. */
const route =
  (handler: Handler): express.RequestHandler =>
  (req, res, next) => {
    handler(req, res, next).catch(next);
  };

/** At most this many DIDs and posts in one /web/hydrate call. */
const HYDRATE_MAX = 50;

const queryString = (value: unknown) => (typeof value === "string" ? value : undefined);
const queryList = (value: unknown) =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");

/** The home page's cursor, search (trimmed, bounded) and viewer (a DID, else ignored). */
function homeRequest(query: express.Request["query"]): { cursor?: string; search?: string; viewer?: string } {
  const cursor = queryString(query.cursor);
  const search = queryString(query.q)?.trim().slice(0, SEARCH_MAX_LENGTH);
  const viewer = queryString(query.viewer)?.trim();
  return {
    ...(cursor ? { cursor } : {}),
    ...(search ? { search } : {}),
    ...(viewer && isValidDid(viewer) ? { viewer } : {}),
  };
}

export function registerWebRoutes(app: express.Express, ctx: AppContext): void {
  const hydrator = new Hydrator(ctx.env.APPVIEW_URL ? appviewSource(ctx.env.APPVIEW_URL) : pdsSource(ctx));
  const config = webConfig(ctx.env);
  const origin = appOrigin(ctx.env);
  const securityHeaders = pageHeaders(config.allowHttp);

  const send = (res: express.Response, status: number, page: Omit<PageInput, "origin" | "config">) => {
    res
      .status(status)
      .set(securityHeaders)
      .type("html")
      .send(renderPage({ ...page, origin, config }));
  };
  const notFound = (res: express.Response, path: string, what: string) =>
    send(res, 404, { meta: notFoundMeta(path), name: "not-found", body: notFoundBody(what) });

  app.get(
    "/",
    route(async (req, res) => {
      const page = await loadHomePage(ctx, homeRequest(req.query));
      if (page === BAD_CURSOR) return notFound(res, "/", "That page of communities does not exist.");
      send(res, 200, { meta: homeMeta, name: "home", body: homeBody(page) });
    }),
  );

  /**
   * A page of the community a `/c/<hashtag>` names: `load` reads it, `render`
   * turns it into a page. Any other slug is left to the next route.
   */
  const communityRoute = <P extends { view: CommunityView }>(
    load: (uri: string, req: express.Request) => Promise<P | null | typeof BAD_CURSOR>,
    render: (page: P) => Pick<PageInput, "meta" | "name" | "body">,
  ) =>
    route(async (req, res, next) => {
      const hashtag = hashtagOfSlug(req.params.slug ?? "");
      if (!hashtag) return next();
      const uri = await communityByHashtag(ctx, hashtag);
      const page = uri && (await load(uri, req));
      if (page === BAD_CURSOR) return notFound(res, req.path, "That page of posts does not exist.");
      if (!page) return notFound(res, req.path, `No community has the hashtag ${hashtag}.`);
      send(res, 200, { ...render(page), data: communityPageData(page.view) });
    });

  app.get(
    "/c/:slug",
    communityRoute(
      (uri, req) => loadCommunityPage(ctx, hydrator, uri, queryString(req.query.cursor)),
      (page) => ({ meta: communityMeta(page.view), name: "community", body: communityBody(page) }),
    ),
  );
  app.get(
    "/c/:slug/manage",
    communityRoute(
      (uri) => loadManagePage(ctx, hydrator, uri),
      (page) => ({ meta: manageMeta(page.view), name: "manage", body: manageBody(page) }),
    ),
  );

  // The stable address by owner and record key (what an at:// URI says) leads to the readable one.
  app.get(
    "/c/:did/:rkey",
    route(async (req, res) => {
      const community = parseCommunityUri(`at://${req.params.did}/${COLLECTIONS.config}/${req.params.rkey}`);
      const view = community && (await ctx.communityFeed(community.uri).getCommunityView());
      if (!view) return notFound(res, req.path, "No community has that address.");
      res.redirect(302, communityPath(view.hashtag));
    }),
  );

  app.get("/signin", (req, res) => {
    const next = safeNext(req.query.next);
    // Only a browser without JavaScript submits the form to the server.
    const problem = req.query.handle ? "Signing in needs JavaScript turned on in your browser." : undefined;
    send(res, 200, { meta: signInMeta(next), name: "signin", body: signInBody(next, problem) });
  });

  app.get(CALLBACK_PATH, (_req, res) => {
    send(res, 200, { meta: callbackMeta, name: "callback", body: callbackBody() });
  });

  app.get(CLIENT_METADATA_PATH, (_req, res) => {
    res.set("cache-control", "public, max-age=600").json(clientMetadata(ctx.env));
  });

  // Handles and post texts for the moderation log, which the browser loads itself.
  app.get(
    "/web/hydrate",
    route(async (req, res) => {
      if (!(await allowHydrate(ctx.env, req.get("cf-connecting-ip") ?? req.ip ?? "unknown"))) {
        res.status(429).json({ error: "RateLimitExceeded", message: "Too many requests; wait a little" });
        return;
      }
      const dids = queryList(req.query.did).slice(0, HYDRATE_MAX);
      const uris = queryList(req.query.uri)
        .filter((uri) => parseRecordUri(uri)?.collection === COLLECTIONS.post)
        .slice(0, HYDRATE_MAX);
      // One budget for the whole call: cached answers are free, the rest share LOOKUPS_PER_CALL.
      const budget = callBudget();
      const [handles, posts] = await Promise.all([
        hydrator.handles(dids, budget),
        hydrator.posts(uris, budget),
      ]);
      res.set("cache-control", "no-cache").json({ handles: Object.fromEntries(handles), posts });
    }),
  );
}

/** HTML for any other GET a browser makes outside /xrpc. */
export function webNotFound(ctx: AppContext): express.RequestHandler {
  const config = webConfig(ctx.env);
  const origin = appOrigin(ctx.env);
  return (req, res, next) => {
    if (req.method !== "GET" || req.path.startsWith("/xrpc/") || !req.accepts("html")) return next();
    res
      .status(404)
      .set(pageHeaders(config.allowHttp))
      .type("html")
      .send(
        renderPage({
          meta: notFoundMeta(req.path),
          name: "not-found",
          body: notFoundBody("There is nothing at this address."),
          origin,
          config,
        }),
      );
  };
}

/** A page failed: say so in a page, log the cause. */
export const webError: express.ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  console.error(JSON.stringify({ event: "web_error", path: req.path, error: String(err?.stack ?? err) }));
  res
    .status(500)
    .type("html")
    .send(
      "<!doctype html><title>Error · Atrarium</title><h1>Something went wrong</h1><p>The page could not be built. Try again in a moment.</p>",
    );
};

/**
 * The pages run only our own scripts. They talk to the user's PDS, its
 * authorization server and the PLC directory, which can be anywhere (https;
 * plain http too for a loopback app in local development).
 */
function pageHeaders(allowHttp: boolean): Record<string, string> {
  const connect = allowHttp ? "'self' https: http:" : "'self' https:";
  return {
    "content-security-policy": [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      `connect-src ${connect}`,
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join("; "),
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cache-control": "no-cache",
  };
}
