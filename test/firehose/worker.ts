// The Worker of the `worker` test project: src/index.ts as it is, plus the
// receiver the firehose tests construct with seams (scripted-receiver.ts),
// bound as SCRIPTED_FIREHOSE next to the real FIREHOSE_RECEIVER.
export * from "../../src/index.ts";
export { default } from "../../src/index.ts";
export { ScriptedFirehoseReceiver } from "./scripted-receiver.ts";
