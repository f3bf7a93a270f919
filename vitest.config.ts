import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Two projects: the Worker's tests run inside workerd (real Durable Objects,
// SQLite and Queues through Miniflare); the Node tests drive real processes
// (a PDS from @atproto/dev-env, the Jetstream bridge, headless Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ADMIN_PASSWORD: "test-admin-password",
                SERVICE_DID: "did:web:feeds.test",
                PUBLIC_URL: "https://feeds.test",
                PLC_URL: inject("plcUrl"),
                // The test PDSes live on localhost.
                ALLOW_PRIVATE_PDS: "true",
                // Reruns one history of the property test (test/worker/community-property.test.ts).
                PROPERTY_SEED: process.env.PROPERTY_SEED ?? "",
              },
            },
          })),
        ],
        resolve: {
          alias: {
            "@atproto-labs/fetch-node": new URL("./src/shims/fetch-node.ts", import.meta.url).pathname,
          },
        },
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          // Generous: some tests drive a thousand events through real Durable Objects.
          testTimeout: 30_000,
          globalSetup: ["./test/setup/atproto-network.ts", "./test/firehose/global-setup.ts"],
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
