/** Parses a Go-style duration ("8760h", "10m", "1h30m", "90s") into seconds. */
export function parseDurationSeconds(text: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== text) {
    throw new Error(`not a duration: ${JSON.stringify(text)} (examples: 8760h, 10m, 1h30m, 90s)`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}

export function formatSeconds(s: number): string {
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}
