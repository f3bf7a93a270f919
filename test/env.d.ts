// Types `env` from "cloudflare:workers" / "cloudflare:test" in tests as the Worker's own Env.
import type { Env as WorkerEnv } from "../src/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {}
  }
}
