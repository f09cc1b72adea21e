/** URL policy (DESIGN §1, §3, §7): https everywhere, plain http only to loopback hosts. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m !== null && m.slice(1).every((part) => Number(part) <= 255);
}

/** undefined when the URL is acceptable, else why not. */
export function urlProblem(value: string): string | undefined {
  // the common case, without building a URL object
  if (/^https:\/\/[a-z0-9.-]+(:\d+)?(\/[\w\-./~%+@]*)?$/i.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `'${value}' is not a URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname) ? undefined : `plain http:// is allowed only to loopback hosts; use https://`;
  }
  return `unsupported scheme '${url.protocol}'; use https://`;
}
