import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { RUN_DIR_ENV } from "../run/run-dir";

/**
 * Nothing secret reaches a report: registered values (bootstrap tokens,
 * token-file tokens) and every PEM private key block are replaced before any
 * text is attached. Registered values are also appended to <runDir>/secrets,
 * so the CLI can scan the finished report for any that slipped through
 * (suites run in separate module registries, so memory alone is not shared).
 */
const secrets = new Set<string>();

export const SECRETS_FILE = "secrets";

export function registerSecret(value: string): void {
  if (value.length < 6 || secrets.has(value)) return;
  secrets.add(value);
  const runDir = process.env[RUN_DIR_ENV];
  if (runDir) {
    try {
      appendFileSync(join(runDir, SECRETS_FILE), value + "\n", { mode: 0o600 });
    } catch {
      // The run is being torn down; nothing more will be reported.
    }
  }
}

const PRIVATE_KEY_BLOCK = /-----BEGIN ([A-Z ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g;

export function redact(text: string): string {
  let out = text.replace(PRIVATE_KEY_BLOCK, "-----BEGIN $1-----\n<redacted>\n-----END $1-----");
  for (const s of secrets) out = out.split(s).join("<redacted>");
  return out;
}
