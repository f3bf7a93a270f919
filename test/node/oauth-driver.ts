// A minimal atproto OAuth client for tests, driving a real PDS's
// authorization server over HTTP as a browser and an app would: PAR with
// PKCE and DPoP (ES256, WebCrypto), the authorization page and its sign-in
// and consent API (cookies, CSRF header, same-origin fetch metadata), the
// token exchange, then DPoP-bound XRPC calls with the access token.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { request } from "node:http";

const b64url = (data: Uint8Array | string) => Buffer.from(data).toString("base64url");
const sha256 = (text: string) => createHash("sha256").update(text).digest();

/** A loopback client id (no metadata document needed): http://localhost?redirect_uri=…&scope=… */
export function loopbackClientId(redirectUri: string, scope: string): string {
  return `http://localhost?${new URLSearchParams({ redirect_uri: redirectUri, scope })}`;
}

interface Answer {
  status: number;
  setCookies: string[];
  text: string;
}

/**
 * A plain HTTP request. The authorization page checks the browser's fetch
 * metadata (sec-fetch-*), which fetch() would overwrite, so its calls go
 * through node:http with the headers a browser would send.
 */
function browserRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, setCookies: res.headers["set-cookie"] ?? [], text }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

class Dpop {
  private nonce: string | undefined;
  private constructor(
    private readonly key: CryptoKeyPair,
    private readonly jwk: JsonWebKey,
  ) {}

  static async create(): Promise<Dpop> {
    const key = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    const { kty, crv, x, y } = (await crypto.subtle.exportKey("jwk", key.publicKey)) as JsonWebKey;
    return new Dpop(key, { kty, crv, x, y });
  }

  private async proof(method: string, url: string, accessToken?: string): Promise<string> {
    const htu = new URL(url);
    htu.search = "";
    htu.hash = "";
    const header = { typ: "dpop+jwt", alg: "ES256", jwk: this.jwk };
    const payload = {
      jti: randomUUID(),
      htm: method,
      htu: htu.href,
      iat: Math.floor(Date.now() / 1000),
      ...(this.nonce ? { nonce: this.nonce } : {}),
      ...(accessToken ? { ath: b64url(sha256(accessToken)) } : {}),
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const signature = await crypto.subtle.sign(
      { name: "ECDSA", hash: "SHA-256" },
      this.key.privateKey,
      new TextEncoder().encode(input),
    );
    return `${input}.${b64url(new Uint8Array(signature))}`;
  }

  /** fetch with a DPoP proof, retried once with the server's nonce when it asks for one. */
  async fetch(url: string, init: RequestInit & { method: string }, accessToken?: string): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(init.headers);
      headers.set("dpop", await this.proof(init.method, url, accessToken));
      if (accessToken) headers.set("authorization", `DPoP ${accessToken}`);
      const res = await fetch(url, { ...init, headers });
      const nonce = res.headers.get("dpop-nonce");
      if (nonce) this.nonce = nonce;
      const askedForNonce =
        (res.status === 400 || res.status === 401) &&
        (res.headers.get("www-authenticate")?.includes("use_dpop_nonce") ||
          (await res
            .clone()
            .json()
            .then((b) => (b as { error?: string }).error === "use_dpop_nonce")
            .catch(() => false)));
      if (!askedForNonce || attempt > 0) return res;
    }
  }
}

/** What the authorization page shows the user (its hydration data). */
export interface AuthorizePage {
  scope?: string;
  permissionSets: Record<string, { title?: string; detail?: string }>;
}

export interface OAuthSession {
  /** The token response: access_token, scope (as granted), sub, … */
  token: { access_token: string; scope: string; sub: string; token_type: string };
  /** A request to the user's PDS with the access token (DPoP-bound), e.g. an Agent's fetchHandler. */
  fetch(path: string, init: RequestInit): Promise<Response>;
  /** An XRPC call on the user's PDS with the access token (DPoP-bound). */
  xrpc(
    method: "GET" | "POST",
    nsid: string,
    body?: unknown,
    params?: Record<string, string>,
  ): Promise<Response>;
}

export class OAuthDriver {
  private readonly cookies = new Map<string, string>();
  private readonly verifier = b64url(randomBytes(32));
  private requestUri = "";

  private constructor(
    private readonly issuer: string,
    private readonly clientId: string,
    private readonly redirectUri: string,
    private readonly dpop: Dpop,
  ) {}

  static async create(issuer: string, redirectUri: string, scope: string): Promise<OAuthDriver> {
    return new OAuthDriver(issuer, loopbackClientId(redirectUri, scope), redirectUri, await Dpop.create());
  }

  /** The pushed authorization request; the PDS answers 201 with a request_uri, or an error. */
  async par(scope: string, loginHint?: string): Promise<Response> {
    const body = new URLSearchParams({
      client_id: this.clientId,
      response_type: "code",
      redirect_uri: this.redirectUri,
      code_challenge: b64url(sha256(this.verifier)),
      code_challenge_method: "S256",
      scope,
      state: randomUUID(),
      ...(loginHint ? { login_hint: loginHint } : {}),
    });
    const res = await this.dpop.fetch(`${this.issuer}/oauth/par`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    if (res.status === 201)
      this.requestUri = ((await res.clone().json()) as { request_uri: string }).request_uri;
    return res;
  }

  private get authorizeUrl(): string {
    return `${this.issuer}/oauth/authorize?${new URLSearchParams({ client_id: this.clientId, request_uri: this.requestUri })}`;
  }

  private keepCookies(res: Answer): void {
    for (const cookie of res.setCookies) {
      const [pair] = cookie.split(";");
      const at = pair?.indexOf("=") ?? -1;
      if (pair && at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }

  private get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** Opens the authorization page as a browser would; returns what it shows. */
  async openAuthorizePage(): Promise<AuthorizePage> {
    const res = await browserRequest(this.authorizeUrl, "GET", {
      "sec-fetch-mode": "navigate",
      "sec-fetch-dest": "document",
      "sec-fetch-site": "none",
    });
    this.keepCookies(res);
    const html = res.text;
    if (res.status !== 200)
      throw new Error(`authorization page answered ${res.status}: ${html.slice(0, 300)}`);
    const match = /window\["__authorizeData"\]=JSON\.parse\(("(?:[^"\\]|\\.)*")\)/.exec(html);
    if (!match) throw new Error("no authorization data on the page");
    return JSON.parse(JSON.parse(match[1] as string)) as AuthorizePage;
  }

  /** A call of the page's own API (same-origin, CSRF token from its cookie). */
  private async api(endpoint: string, body: unknown): Promise<{ status: number; json: unknown }> {
    const url = `${this.issuer}/@atproto/oauth-provider/~api${endpoint}`;
    const res = await browserRequest(
      url,
      "POST",
      {
        "content-type": "application/json",
        cookie: this.cookieHeader,
        "x-csrf-token": this.cookies.get("csrf-token") ?? "",
        origin: new URL(this.issuer).origin,
        referer: this.authorizeUrl,
        "sec-fetch-mode": "same-origin",
        "sec-fetch-site": "same-origin",
        "sec-fetch-dest": "empty",
      },
      JSON.stringify(body),
    );
    this.keepCookies(res);
    return { status: res.status, json: JSON.parse(res.text || "null") };
  }

  /** Signs in on the page and consents; returns the authorization code from the redirect. */
  async signInAndConsent(username: string, password: string): Promise<string> {
    const signIn = await this.api("/sign-in", { locale: "en", username, password, remember: true });
    if (signIn.status !== 200)
      throw new Error(`sign-in answered ${signIn.status}: ${JSON.stringify(signIn.json)}`);
    const { account } = signIn.json as { account: { did: string } };
    const consent = await this.api("/consent", { did: account.did });
    const answer = consent.json as { url?: string; error?: string };
    if (!answer.url) throw new Error(`consent answered ${consent.status}: ${JSON.stringify(answer)}`);
    const params = new URL(answer.url).searchParams;
    const code = params.get("code");
    if (!code) throw new Error(`consent redirected without a code: ${answer.url}`);
    return code;
  }

  /** Exchanges the code for tokens; the session makes DPoP-bound calls to `pds`. */
  async token(code: string, pds: string): Promise<OAuthSession> {
    const res = await this.dpop.fetch(`${this.issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: this.redirectUri,
        code_verifier: this.verifier,
        client_id: this.clientId,
      }),
    });
    if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
    const token = (await res.json()) as OAuthSession["token"];
    const dpop = this.dpop;
    const call = (path: string, init: RequestInit) =>
      dpop.fetch(
        new URL(path, pds).href,
        { ...init, method: (init.method ?? "GET").toUpperCase() },
        token.access_token,
      );
    return {
      token,
      fetch: call,
      xrpc(method, nsid, body, params) {
        return call(`/xrpc/${nsid}${params ? `?${new URLSearchParams(params)}` : ""}`, {
          method,
          ...(body === undefined
            ? {}
            : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
        });
      },
    };
  }
}
