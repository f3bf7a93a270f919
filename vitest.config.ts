import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { publicNetwork } from "./test/setup/public-network.ts";

const workerBindings = {
  ADMIN_PASSWORD: "test-admin-password",
  SERVICE_DID: "did:web:feeds.test",
  PUBLIC_URL: "https://feeds.test",
};
const resolve = {
  alias: {
    "@atproto-labs/fetch-node": new URL("./src/shims/fetch-node.ts", import.meta.url).pathname,
  },
};

// Three projects: the Worker's tests run inside workerd (real Durable Objects,
// SQLite and Queues through Miniflare), once as local development runs it
// (PDSes on localhost allowed) and once as production does (worker-public:
// ALLOW_PRIVATE_PDS false, the public internet scripted by
// test/setup/public-network.ts); the Node tests drive real processes (a PDS
// from @atproto/dev-env, the Jetstream bridge, wrangler's dev server, headless Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            // src/index.ts plus the receiver the firehose tests construct with seams.
            main: "./test/firehose/worker.ts",
            miniflare: {
              durableObjects: {
                SCRIPTED_FIREHOSE: { className: "ScriptedFirehoseReceiver", useSQLite: true },
              },
              bindings: {
                ...workerBindings,
                // Reruns one history of the property test (test/worker/community-property.test.ts).
                PROPERTY_SEED: process.env.PROPERTY_SEED ?? "",
                PLC_URL: inject("plcUrl"),
                // The test PDSes live on localhost.
                ALLOW_PRIVATE_PDS: "true",
              },
            },
          })),
        ],
        resolve,
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          // Generous: some tests drive a thousand events through real Durable Objects.
          testTimeout: 30_000,
          globalSetup: ["./test/setup/atproto-network.ts", "./test/firehose/global-setup.ts"],
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: { ...workerBindings, PLC_URL: inject("plcUrl"), ALLOW_PRIVATE_PDS: "false" },
              outboundService: publicNetwork,
            },
          })),
        ],
        resolve,
        test: {
          name: "worker-public",
          include: ["test/worker-public/**/*.test.ts"],
          globalSetup: ["./test/setup/atproto-network.ts"],
        },
      },
      {
        test: {
          name: "node",
          // test/browser: the web app in headless Chromium (Debian's chromium package).
          include: ["test/node/**/*.test.ts", "test/browser/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
