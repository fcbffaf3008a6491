import { createHash } from "node:crypto";
import { chmod, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { arch } from "node:os";
import { join } from "node:path";
import { HarnessError } from "../errors";
import { info } from "../log";
import { KUBE_BINARIES } from "./layout";

/** Official release location; every binary has a published `.sha256` beside it. */
export const RELEASE_BASE = process.env.KTC_RELEASE_BASE_URL ?? "https://dl.k8s.io/release";

export class DownloadUnavailableError extends HarnessError {}

export function releaseUrl(version: string, binary: string): string {
  const goarch = arch() === "arm64" ? "arm64" : "amd64";
  return `${RELEASE_BASE}/${version}/bin/linux/${goarch}/${binary}`;
}

async function fetchBytes(url: string, timeoutMs: number): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new DownloadUnavailableError(`cannot reach ${url}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  if (!res.ok) throw new DownloadUnavailableError(`GET ${url} answered ${res.status} ${res.statusText}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Checks a downloaded binary against the release's published SHA-256. */
export function verifySha256(binary: string, bytes: Buffer, published: string): void {
  const expected = published.trim().split(/\s+/)[0]!.toLowerCase();
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== expected) {
    throw new HarnessError(`checksum mismatch for ${binary}: expected ${expected}, got ${actual}`, {
      hint: "the download was corrupted or tampered with; it was not installed",
    });
  }
}

/**
 * Downloads the official release binaries and verifies each against its
 * published checksum before anything is put into the cache. The first
 * request has a short timeout so an offline machine falls through quickly.
 */
export async function downloadRelease(version: string, targetBinDir: string): Promise<void> {
  const staging = `${targetBinDir}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    let first = true;
    for (const binary of KUBE_BINARIES) {
      const url = releaseUrl(version, binary);
      const published = (await fetchBytes(`${url}.sha256`, first ? 5_000 : 60_000)).toString("utf8");
      first = false;
      info(`downloading ${url}`);
      const bytes = await fetchBytes(url, 600_000);
      verifySha256(binary, bytes, published);
      await writeFile(join(staging, binary), bytes);
      await chmod(join(staging, binary), 0o755);
    }
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  await rm(targetBinDir, { recursive: true, force: true });
  await rename(staging, targetBinDir);
}
