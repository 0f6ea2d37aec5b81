const BASE = 'http://forum.invalid';

/**
 * Returns `next` when it is a path on this site, else `/`. Refuses absolute and
 * protocol-relative URLs, backslash tricks and control characters: no open redirect. The path is
 * judged after the URL parser has resolved dot segments ("/.//evil.example" becomes
 * "//evil.example"), and again percent-decoded, as a browser or a proxy might see it.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || !isLocalPath(next)) return '/';
  try {
    const url = new URL(next, BASE);
    if (url.origin !== BASE) return '/';
    const path = url.pathname + url.search + url.hash;
    const decoded = percentDecoded(path);
    // Decoded, "/.%2f/evil.example" is "/.//evil.example": resolve that too.
    const resolved = new URL(decoded, BASE);
    const resolvedPath = resolved.pathname + resolved.search + resolved.hash;
    return resolved.origin === BASE &&
      isLocalPath(path) &&
      isLocalPath(decoded) &&
      isLocalPath(resolvedPath)
      ? path
      : '/';
  } catch {
    return '/';
  }
}

/** One leading slash not followed by another, and no backslash or control character anywhere. */
function isLocalPath(path: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  return /^\/(?![/\\])/.test(path) && !/[\\\x00-\x1f\x7f-\x9f]/.test(path);
}

/** The path with slashes, backslashes and control characters percent-decoded, as a lenient proxy might. */
function percentDecoded(path: string): string {
  return path.replace(/%(2f|5c|[01][0-9a-f]|7f)/gi, (_match, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

export function loginPathFor(next: string): string {
  return `/login?next=${encodeURIComponent(safeNextPath(next))}`;
}
