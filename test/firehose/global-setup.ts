// vitest globalSetup for the worker project: starts the scripted Jetstream in
// Node on 127.0.0.1 and hands its URL to the tests (inject("jetstreamScriptUrl")).
import type { TestProject } from "vitest/node";
import { startScriptServer } from "./script-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    jetstreamScriptUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startScriptServer();
  project.provide("jetstreamScriptUrl", server.url);
  return () => server.close();
}
