/**
 * Nothing secret reaches a report: registered values (bootstrap tokens,
 * token-file tokens) and every PEM private key block are replaced before any
 * text is attached.
 */
const secrets = new Set<string>();

export function registerSecret(value: string): void {
  if (value.length >= 6) secrets.add(value);
}

const PRIVATE_KEY_BLOCK = /-----BEGIN ([A-Z ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g;

export function redact(text: string): string {
  let out = text.replace(PRIVATE_KEY_BLOCK, "-----BEGIN $1-----\n<redacted>\n-----END $1-----");
  for (const s of secrets) out = out.split(s).join("<redacted>");
  return out;
}
