// A PDS on the scripted public internet (test/setup/public-network.ts):
// https://repo.guard.test holds whatever records a test puts there and
// answers com.atproto.repo.getRecord and listRecords from them, for every
// repo. A test can make one repo's reads misbehave, as a misconfigured or
// migrating server does. Control, through the test's own fetch:
//   PUT    https://script.guard.test/records  {uri, value}    store a record
//   DELETE https://script.guard.test/records  {uri}           delete it
//   PUT    https://script.guard.test/repos    {did, answers}  how that repo's reads answer:
//     "as-stored" (default), "plain-404" (a 404 page, no XRPC error), "empty-200"
//     (200 with a body that is no listing), "repo-not-found" (the XRPC RepoNotFound)
//   PUT    https://script.guard.test/claims   {did, handle}   the handle describeRepo claims for
//     that repo, with handleIsCorrect: true, as a self-hosted PDS may claim anything

type Answers = "as-stored" | "plain-404" | "empty-200" | "repo-not-found";

const CID = "bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
const records = new Map<string, Record<string, unknown>>();
const repoAnswers = new Map<string, Answers>();
const claims = new Map<string, string>();

const xrpcError = (error: string) => Response.json({ error, message: error }, { status: 400 });

export async function scriptControl(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  const body = (await request.json()) as {
    uri?: string;
    value?: Record<string, unknown>;
    did?: string;
    answers?: Answers;
    handle?: string;
  };
  if (path === "/records" && request.method === "PUT" && body.uri && body.value)
    records.set(body.uri, body.value);
  else if (path === "/records" && request.method === "DELETE" && body.uri) records.delete(body.uri);
  else if (path === "/repos" && request.method === "PUT" && body.did && body.answers)
    repoAnswers.set(body.did, body.answers);
  else if (path === "/claims" && request.method === "PUT" && body.did && body.handle)
    claims.set(body.did, body.handle);
  else return new Response("unknown script command", { status: 400 });
  return new Response(null, { status: 204 });
}

export function scriptedPds(url: URL): Response {
  const repo = url.searchParams.get("repo") ?? "";
  const collection = url.searchParams.get("collection") ?? "";
  const answers = repoAnswers.get(repo) ?? "as-stored";
  if (answers === "plain-404")
    return new Response("<h1>Not Found</h1>", { status: 404, headers: { "content-type": "text/html" } });
  if (answers === "repo-not-found") return xrpcError("RepoNotFound");
  switch (url.pathname) {
    case "/xrpc/com.atproto.repo.getRecord": {
      const uri = `at://${repo}/${collection}/${url.searchParams.get("rkey")}`;
      const value = records.get(uri);
      if (answers === "empty-200") return Response.json({});
      return value ? Response.json({ uri, cid: CID, value }) : xrpcError("RecordNotFound");
    }
    case "/xrpc/com.atproto.repo.describeRepo": {
      const handle = claims.get(repo);
      return handle ? Response.json({ did: repo, handle, handleIsCorrect: true }) : xrpcError("RepoNotFound");
    }
    case "/xrpc/com.atproto.repo.listRecords": {
      if (answers === "empty-200") return Response.json({});
      const prefix = `at://${repo}/${collection}/`;
      const listed = [...records].filter(([uri]) => uri.startsWith(prefix));
      return Response.json({ records: listed.map(([uri, value]) => ({ uri, cid: CID, value })) });
    }
  }
  return xrpcError("MethodNotImplemented");
}
