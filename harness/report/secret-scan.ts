import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export interface SecretHit {
  file: string;
  what: string;
}

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----\s*\n(?!<redacted>)/;

async function* files(dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

/**
 * Looks through every file under `dirs` for the run's secrets (the tokens it
 * used) and for unredacted private keys. The report must contain neither.
 */
export async function scanForSecrets(dirs: string[], secrets: string[]): Promise<SecretHit[]> {
  const hits: SecretHit[] = [];
  for (const dir of dirs) {
    for await (const file of files(dir)) {
      // A file another run removed between the listing and the read is no longer in the report.
      const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return undefined;
        throw err;
      });
      if (text === undefined) continue;
      for (const s of secrets) if (text.includes(s)) hits.push({ file, what: `token ${s.slice(0, 3)}…` });
      if (PRIVATE_KEY.test(text)) hits.push({ file, what: "an unredacted private key" });
    }
  }
  return hits;
}
