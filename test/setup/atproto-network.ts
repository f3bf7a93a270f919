// Global setup of the "worker" test project: a real PLC and, on request, real
// PDSes (scripts/dev-network.ts) on 127.0.0.1. It runs as a child process so
// that @atproto/dev-env loads in plain Node, outside the Worker's module
// aliases. Tests inside workerd reach it through its HTTP control API.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    plcUrl: string;
    networkControlUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const child: ChildProcess = spawn(process.execPath, ["scripts/dev-network.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = await new Promise<{ plcUrl: string; controlUrl: string }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => resolve(JSON.parse(line)));
    child.once("exit", (code) => reject(new Error(`dev network exited with ${code}`)));
  });
  project.provide("plcUrl", ready.plcUrl);
  project.provide("networkControlUrl", ready.controlUrl);
  return async () => {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  };
}
