// The web app's routes on the Worker's Express app: the public pages (HTML
// that works without JavaScript), sign-in pages, the OAuth client metadata,
// and one small JSON read for the browser code. Built assets (/assets/*) are
// served by Workers static assets before the Worker runs.
import { isValidDid } from "@atproto/syntax";
import type express from "express";
import type { AppContext } from "../../context.ts";
import type { CommunityView } from "../../lexicon/types/com/atrarium/community/defs.ts";
import { COLLECTIONS, parseCommunityUri, parseRecordUri } from "../../records/address.ts";
import { HYDRATE_MAX } from "../shared/limits.ts";
import { communityPath, hashtagOfSlug } from "../shared/links.ts";
import { sameOriginPath } from "../shared/return-path.ts";
import { pdsAuthors } from "./authors.ts";
import { Hydrator } from "./hydrate.ts";
import { allowHydrate, callBudget } from "./hydrate-limits.ts";
import { type PageInput, renderPage } from "./layout.ts";
import {
  BAD_CURSOR,
  communityByHashtag,
  loadCommunityPage,
  loadHomePage,
  loadManagePage,
  loadStartPage,
} from "./load.ts";
import {
  appOrigin,
  CALLBACK_PATH,
  CLIENT_METADATA_PATH,
  clientMetadata,
  instanceIsPublic,
  webConfig,
} from "./oauth.ts";
import { communityBody, communityMeta, communityPageData } from "./pages/community.ts";
import { homeBody, homeMeta, SEARCH_MAX_LENGTH } from "./pages/home.ts";
import { manageBody, manageMeta } from "./pages/manage.ts";
import { notFoundBody, notFoundMeta } from "./pages/not-found.ts";
import { callbackBody, callbackMeta, signInBody, signInMeta } from "./pages/signin.ts";
import { startBody, startMeta } from "./pages/start.ts";
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
  // With an AppView, posts come with their authors' profiles and image URLs; without one,
  // the authors' PDSes tell names and avatars, and serve the images (getBlob).
  const { appviewUrl } = ctx.config;
  const hydrator = appviewUrl
    ? new Hydrator(appviewSource(appviewUrl.href, ctx.config.allowPrivatePds))
    : new Hydrator(pdsSource(ctx), { authors: pdsAuthors(ctx) });
  const config = webConfig(ctx.config);
  const origin = appOrigin(ctx.config);
  const publicInstance = instanceIsPublic(ctx.config);

  /** A page; `images` are the image URLs it shows, whose origins its CSP allows. */
  const send = (
    res: express.Response,
    status: number,
    page: Omit<PageInput, "origin" | "config"> & { images?: string[] },
  ) => {
    const { images = [], ...input } = page;
    res
      .status(status)
      .set(pageHeaders(config.allowHttp, images))
      .type("html")
      .send(renderPage({ ...input, origin, config }));
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
    render: (page: P) => Pick<PageInput, "meta" | "name" | "body"> & { images?: string[] },
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
      (page) => ({
        meta: communityMeta(page.view),
        name: "community",
        body: communityBody(page, publicInstance),
        images: page.images,
      }),
    ),
  );
  app.get(
    "/c/:slug/start",
    communityRoute(
      (uri) => loadStartPage(ctx, hydrator, uri),
      (page) => ({
        meta: startMeta(page.view),
        name: "start",
        body: startBody(page, origin, publicInstance),
      }),
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
  // Anyone can make one up: the Directory is asked first, so no CommunityFeed object is created for it.
  app.get(
    "/c/:did/:rkey",
    route(async (req, res) => {
      const community = parseCommunityUri(`at://${req.params.did}/${COLLECTIONS.config}/${req.params.rkey}`);
      const known = community !== null && (await ctx.isActiveCommunity(community.uri));
      const view = known && (await ctx.communityFeed(community.uri).getCommunityView());
      if (!view) return notFound(res, req.path, "No community has that address.");
      res.redirect(302, communityPath(view.hashtag));
    }),
  );

  app.get("/signin", (req, res) => {
    const next = sameOriginPath(req.query.next, origin);
    // Only a browser without JavaScript submits the form to the server.
    const problem = req.query.handle ? "Signing in needs JavaScript turned on in your browser." : undefined;
    send(res, 200, { meta: signInMeta(next), name: "signin", body: signInBody(next, problem) });
  });

  app.get(CALLBACK_PATH, (_req, res) => {
    send(res, 200, { meta: callbackMeta, name: "callback", body: callbackBody() });
  });

  app.get(CLIENT_METADATA_PATH, (_req, res) => {
    res.set("cache-control", "public, max-age=600").json(clientMetadata(ctx.config));
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
        hydrator.handles(dids, undefined, budget),
        hydrator.posts(uris, budget),
      ]);
      res.set("cache-control", "no-cache").json({ handles: Object.fromEntries(handles), posts });
    }),
  );
}

/** HTML for any other GET a browser makes outside /xrpc. */
export function webNotFound(ctx: AppContext): express.RequestHandler {
  const config = webConfig(ctx.config);
  const origin = appOrigin(ctx.config);
  return (req, res, next) => {
    if (req.method !== "GET" || req.path.startsWith("/xrpc/") || !req.accepts("html")) return next();
    res
      .status(404)
      .set(pageHeaders(config.allowHttp, []))
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

/** The origins of the image URLs a page shows: the only other places it loads images from. */
export function imageOrigins(images: readonly string[]): string[] {
  const origins = new Set<string>();
  for (const image of images) {
    try {
      const url = new URL(image);
      if (url.protocol === "https:" || url.protocol === "http:") origins.add(url.origin);
    } catch {
      // not a URL: nothing to allow
    }
  }
  return [...origins].sort();
}

/**
 * The pages run only our own scripts. They talk to the user's PDS, its
 * authorization server and the PLC directory, which can be anywhere (https;
 * plain http too for a loopback app in local development). Images come from
 * the origins of the posts' images (the authors' PDSes, or the AppView's CDN).
 */
function pageHeaders(allowHttp: boolean, images: readonly string[]): Record<string, string> {
  const connect = allowHttp ? "'self' https: http:" : "'self' https:";
  return {
    "content-security-policy": [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      ["img-src 'self' data:", ...imageOrigins(images)].join(" "),
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
