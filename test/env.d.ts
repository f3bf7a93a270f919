// Types `env` from "cloudflare:workers" / "cloudflare:test" in tests as the Worker's own Env.
import type { Env as WorkerEnv } from "../src/env.ts";
import type { ScriptedFirehoseReceiver } from "./firehose/scripted-receiver.ts";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      /** The worker project only (vitest.config.ts): a receiver constructed with test seams. */
      SCRIPTED_FIREHOSE: DurableObjectNamespace<ScriptedFirehoseReceiver>;
    }
  }
}
