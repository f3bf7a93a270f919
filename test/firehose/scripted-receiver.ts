// A FirehoseReceiver constructed with test seams (a queue that records and
// can fail, a watcher of saved cursors), as the receiver takes them: options
// of its constructor, never RPC methods. A test names the seams for an object
// name before it first reaches that object; a restarted object gets them again.
import type { Env } from "../../src/env.ts";
import { FirehoseReceiver } from "../../src/firehose/FirehoseReceiver.ts";
import type { ReceiverSeams } from "../../src/firehose/receiver-options.ts";

const seamsByName = new Map<string, ReceiverSeams>();

/** The seams the object of this name is constructed with (tests and objects share the isolate). */
export function seamReceiver(name: string, seams: ReceiverSeams): void {
  seamsByName.set(name, seams);
}

export class ScriptedFirehoseReceiver extends FirehoseReceiver {
  constructor(ctx: DurableObjectState, env: Env) {
    const name = ctx.id.name;
    if (name === undefined) throw new Error("a scripted receiver is reached by name (getByName)");
    super(ctx, env, seamsByName.get(name) ?? {});
  }
}
