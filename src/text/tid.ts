// Record keys in TID form: microseconds since 1970 and a clock id, written in
// a sortable base32, so later keys sort after earlier ones. Pure: shared by
// the client, the CLI and the web app's browser code.

const S32 = "234567abcdefghijklmnopqrstuvwxyz";
const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const clockId = (crypto.getRandomValues(new Uint16Array(1))[0] ?? 0) % 1024;
let lastMicros = 0;

/** A fresh TID, later than any this process made before. */
export function nextTid(): string {
  let micros = Date.now() * 1000;
  if (micros <= lastMicros) micros = lastMicros + 1;
  lastMicros = micros;
  let n = (BigInt(micros) << 10n) | BigInt(clockId);
  let out = "";
  for (let i = 0; i < 13; i++) {
    out = S32[Number(n & 31n)] + out;
    n >>= 5n;
  }
  if (!TID.test(out)) throw new Error(`generated an invalid TID: ${out}`);
  return out;
}
