// UTF-8 lengths, which the protocol counts in (facet byte offsets, post and
// frame size limits). Pure: shared by the Worker, the client and the CLI.

/** UTF-8 length of a string in bytes, without allocating. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 2; // a surrogate pair (2 UTF-16 units) is 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}
