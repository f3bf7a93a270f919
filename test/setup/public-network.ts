// The "worker-public" test project's outbound network (miniflare's
// outboundService, run in Node): every request the Worker sends comes here.
// A few made-up public hosts under .guard.test are scripted, standing for
// PDSes on the public internet, which tests cannot reach; everything else (the
// local PLC, PDSes and control API) passes through untouched. GET
// https://hits.guard.test/ tells which hosts were asked, so a test can show
// that a refused address was never contacted. 169.254.169.254 stands for a
// cloud's instance metadata service: what it answers must never reach a page.
// https://repo.guard.test is a PDS whose records and misbehaviour tests script
// (test/setup/scripted-pds.ts); handles under .handles.guard.test and the
// DNS-over-HTTPS services are scripted by test/setup/scripted-identity.ts.

import { DOH_HOSTS, dnsOverHttps, handleHost, scriptHandles } from "./scripted-identity.ts";
import { scriptControl, scriptedPds } from "./scripted-pds.ts";

const CID = "bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
const hits = new Map<string, number>();

const redirect = (to: string) => new Response(null, { status: 302, headers: { location: to } });

/** A community config for any repo that asks, with a hashtag of its own. */
async function configRecord(url: URL): Promise<Response> {
  const repo = url.searchParams.get("repo") ?? "";
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(repo)));
  const hex = Array.from(digest.slice(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
  return Response.json({
    uri: `at://${repo}/${url.searchParams.get("collection")}/${url.searchParams.get("rkey")}`,
    cid: CID,
    value: {
      $type: "com.atrarium.community.config",
      name: "Behind a redirect",
      hashtag: `#atr_${hex}`,
      stage: "community",
      createdAt: new Date().toISOString(),
    },
  });
}

/** What an instance metadata service would hand anyone who asks from inside: never to be shown. */
function metadataService(url: URL): Response {
  const secret = "SECRET-INSTANCE-CREDENTIALS";
  if (url.pathname.endsWith("/com.atproto.repo.describeRepo"))
    return Response.json({
      did: url.searchParams.get("repo"),
      handle: `${secret}.example`,
      handleIsCorrect: true,
    });
  return Response.json({
    uri: `at://${url.searchParams.get("repo")}/x/y`,
    cid: CID,
    value: { text: secret },
  });
}

export async function publicNetwork(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const rest = `${url.pathname}${url.search}`;
  hits.set(url.host, (hits.get(url.host) ?? 0) + 1);
  switch (url.hostname) {
    case "hits.guard.test":
      return Response.json(Object.fromEntries(hits));
    case "redirect-private.guard.test":
      return redirect(`http://127.0.0.1:9${rest}`);
    case "redirect-metadata.guard.test":
      return redirect(`http://169.254.169.254/latest${rest}`);
    case "169.254.169.254":
      return metadataService(url);
    case "redirect-mapped.guard.test":
      return redirect(`https://[::ffff:127.0.0.1]${rest}`);
    case "redirect-loop.guard.test":
      return redirect(`https://redirect-loop.guard.test${rest}`);
    case "redirect-hop.guard.test":
      return redirect(`https://records.guard.test${rest}`);
    case "records.guard.test":
      return configRecord(url);
    case "repo.guard.test":
      return scriptedPds(url);
    case "script.guard.test":
      return (await scriptHandles(url.pathname, request)) ?? scriptControl(request);
    case "down.guard.test":
      return new Response("down for maintenance", { status: 503 });
    case "slow.guard.test":
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      return new Response("late");
  }
  if (url.hostname.endsWith(".handles.guard.test")) return handleHost(url);
  if (DOH_HOSTS.has(url.hostname)) return dnsOverHttps(url);
  if (url.hostname.endsWith(".guard.test")) return new Response("no such scripted host", { status: 404 });
  return fetch(url, {
    method: request.method,
    headers: request.headers,
    redirect: "manual",
    ...(request.method === "GET" || request.method === "HEAD" ? {} : { body: await request.arrayBuffer() }),
  });
}
