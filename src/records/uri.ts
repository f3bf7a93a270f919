// AT-URIs of records, the one parser the Worker uses: at://<did>/<collection>/<rkey>.
// The authority must be a DID (handles are not stable names for records).

export interface RecordAddress {
  did: string;
  collection: string;
  rkey: string;
}

const RECORD_URI =
  /^at:\/\/(did:[a-z]+:[a-zA-Z0-9._:%-]+)\/([a-zA-Z][a-zA-Z0-9.-]+)\/([a-zA-Z0-9._:~-]{1,512})$/;

export function parseRecordUri(uri: string): RecordAddress | null {
  const match = RECORD_URI.exec(uri);
  return match ? { did: match[1] as string, collection: match[2] as string, rkey: match[3] as string } : null;
}

export function atUri(did: string, collection: string, rkey: string): string {
  return `at://${did}/${collection}/${rkey}`;
}
