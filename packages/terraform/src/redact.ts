// Secrets reach the CLI only through its environment; anything it prints passes through a
// redactor before it reaches a log, an error or a callback.
export type Redactor = (text: string) => string;

export const REDACTED = "[redacted]";

/** Parts of a secret worth hiding on their own: a URL's password (a connection string's). */
function fragments(secret: string): string[] {
  const parts = [secret];
  try {
    const url = new URL(secret);
    if (url.password) parts.push(url.password, decodeURIComponent(url.password));
  } catch {
    // not a URL: the whole value only
  }
  return parts;
}

export function createRedactor(secrets: Iterable<string>): Redactor {
  const needles = [...new Set([...secrets].flatMap(fragments))]
    .filter((value) => value.length > 0)
    // Longest first, so a connection string is hidden whole before its password is.
    .sort((a, b) => b.length - a.length);
  if (needles.length === 0) return (text) => text;
  return (text) => needles.reduce((out, needle) => out.split(needle).join(REDACTED), text);
}
