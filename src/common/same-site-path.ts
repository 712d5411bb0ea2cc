/**
 * Where to send someone after an action, given a `next` they brought with them: only a path on this site. The
 * value is resolved as a browser would (tabs and line breaks dropped, backslashes read as slashes) against the
 * site's own address, and anything that lands elsewhere, or would be read as another host, goes to `/`.
 */
export function sameSitePath(next: unknown, appUrl: string): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return '/';
  const site = new URL(appUrl);
  let resolved: URL;
  try {
    resolved = new URL(next, site);
  } catch {
    return '/';
  }
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // A path of its own that starts with two slashes would be read by the browser as a host name.
  if (resolved.origin !== site.origin || path.startsWith('//')) return '/';
  return path;
}
