import type { JetstreamEvent, QueueMessageBody } from "./events.ts";

// How the receiver packs kept events into queue messages: as many events per
// message and as many messages per sendBatch as Cloudflare's limits allow.
// Pure: no socket, no clock, no queue.

/** A kept event and the UTF-8 size of its JSON, as it will travel. */
export interface SizedEvent {
  event: JetstreamEvent;
  bytes: number;
}

/** Queue limits, with a margin under Cloudflare's 128 KB per message, 256 KB and 100 messages per sendBatch. */
export interface PackLimits {
  maxMessageBytes: number;
  maxBatchBytes: number;
  maxBatchMessages: number;
}

export interface PackedBatch {
  messages: QueueMessageBody[];
  /** How many events from the head of the list went into `messages`. */
  taken: number;
  /** The sum of their `bytes`. */
  bytes: number;
}

/** JSON overhead of {"events":[...]}; each event adds one byte for its comma. */
export const MESSAGE_OVERHEAD = 16;

/** Whether an event of this size can travel in any queue message. */
export function fitsInMessage(bytes: number, limits: PackLimits): boolean {
  return bytes + MESSAGE_OVERHEAD <= limits.maxMessageBytes;
}

/**
 * Packs events from `items[from]` on, in order, into one sendBatch: a new
 * message starts when the current one would pass maxMessageBytes, and packing
 * stops at maxBatchMessages messages or maxBatchBytes in all. At least one
 * event is taken when there is one (each fits in a message: see fitsInMessage).
 */
export function packBatch(items: readonly SizedEvent[], from: number, limits: PackLimits): PackedBatch {
  const messages: QueueMessageBody[] = [];
  let current: JetstreamEvent[] = [];
  let currentBytes = MESSAGE_OVERHEAD;
  let totalBytes = 0;
  let bytes = 0;
  let taken = 0;
  for (let i = from; i < items.length; i++) {
    const item = items[i] as SizedEvent;
    const size = item.bytes + 1;
    if (currentBytes + size > limits.maxMessageBytes && current.length > 0) {
      if (messages.length + 1 >= limits.maxBatchMessages) break;
      messages.push({ events: current });
      current = [];
      currentBytes = MESSAGE_OVERHEAD;
    }
    if (totalBytes + size + MESSAGE_OVERHEAD * (messages.length + 1) > limits.maxBatchBytes && taken > 0)
      break;
    current.push(item.event);
    currentBytes += size;
    totalBytes += size;
    bytes += item.bytes;
    taken++;
  }
  if (current.length > 0) messages.push({ events: current });
  return { messages, taken, bytes };
}
