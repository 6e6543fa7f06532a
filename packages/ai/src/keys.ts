// Provider API keys: the caller decides which key a call uses (the platform's from the
// environment, or an organization's own from the vault) and hands it to the adapter. A key is
// never logged, never part of an error message and never returned; the UI shows its hint.

/**
 * "sk-…abcd": the key's prefix up to its first dash (at most 8 characters) and its last four.
 * Keys too short to hide anything show no characters at all.
 */
export function maskKeyHint(key: string): string {
  const trimmed = key.trim();
  if (trimmed.length < 12) return "…";
  const dash = trimmed.indexOf("-");
  const prefix = dash > 0 && dash < 8 ? trimmed.slice(0, dash + 1) : "";
  return `${prefix}…${trimmed.slice(-4)}`;
}

/** `text` with every occurrence of `secret` replaced by its hint (provider messages may echo keys). */
export function scrubSecret(text: string, secret: string): string {
  if (secret.length < 4) return text;
  return text.split(secret).join(maskKeyHint(secret));
}
