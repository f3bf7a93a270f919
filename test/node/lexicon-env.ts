// Shared by the lexicon tests: running `lexicons:publish` in-process, and a
// real @atproto/lex-resolver whose only stand-in is DNS (there is none here):
// the `_lexicon` TXT records come from what the publisher printed.
import { LexResolver, type NSID } from "@atproto/lex-resolver";
import { publish } from "../../scripts/lexicons/publish.ts";

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run lexicons:publish -- <args>` in this process, with its own environment. */
export async function runPublish(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const code = await publish(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env,
    readStdin: async () => "",
    prompt: async () => {
      throw new Error("no terminal in tests");
    },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

/** The `_lexicon.… TXT "did=…"` lines of the publisher's output, as a zone. */
export function zoneFromOutput(stdout: string): Map<string, string[]> {
  const zone = new Map<string, string[]>();
  for (const match of stdout.matchAll(/^\s+(_lexicon\.\S+)\s+TXT\s+"([^"]*)"$/gm)) {
    const name = match[1] as string;
    zone.set(name, [...(zone.get(name) ?? []), match[2] as string]);
  }
  return zone;
}

/**
 * @atproto/lex-resolver with DNS answered from `zone`. Everything after the
 * TXT lookup is the library's own: DID resolution through the PLC, the
 * signed-commit proof from com.atproto.sync.getRecord, document validation.
 */
export class ZoneLexResolver extends LexResolver {
  constructor(
    private readonly zone: Map<string, string[]>,
    plcDirectoryUrl: string,
  ) {
    super({ plcDirectoryUrl });
  }

  protected override async resolveLexiconAuthority(nsid: NSID): Promise<`did:${string}:${string}`> {
    const name = `_lexicon.${nsid.authority}`;
    const dids = (this.zone.get(name) ?? []).filter((v) => v.startsWith("did=")).map((v) => v.slice(4));
    if (dids.length !== 1) throw new Error(`${name}: expected one did= TXT record, found ${dids.length}`);
    return dids[0] as `did:${string}:${string}`;
  }
}
