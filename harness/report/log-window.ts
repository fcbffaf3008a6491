/**
 * Logs as evidence: the part of a log written since a moment (the suite's
 * start), and a size cap that says what it left out. Whole logs, not tails:
 * the line that explains a failure is often far from the end (a kubelet that
 * exited and was restarted before the check gave up).
 */

/** Bytes kept per attached log. Large enough for a kubelet's whole bootstrap at the default verbosity. */
export const LOG_CAP_BYTES = 512 * 1024;

const CRI = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) /;
const KLOG = /^[IWEF](\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})/;
const CAPNSLOG = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})/;
const ZAP_JSON = /^\{.*?"ts":"([^"]+)"/;

/**
 * The time a log line was written, for the formats of the logs the harness
 * reads: a CRI pod log prefix (kind), klog (Kubernetes components: no year,
 * local time), etcd's capnslog (3.4, local time) and zap JSON (3.5+).
 */
export function lineTime(line: string, now = new Date()): Date | undefined {
  let m = CRI.exec(line);
  if (m) return new Date(m[1]!);
  m = KLOG.exec(line);
  if (m) {
    const [mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    const t = new Date(now.getFullYear(), mo - 1, d, h, mi, s, ms);
    // A line from December read in January belongs to the previous year.
    if (t.getTime() > now.getTime() + 86_400_000) t.setFullYear(t.getFullYear() - 1);
    return t;
  }
  m = CAPNSLOG.exec(line);
  if (m) {
    const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
    return new Date(y, mo - 1, d, h, mi, s, ms);
  }
  m = ZAP_JSON.exec(line);
  if (m) {
    const t = new Date(m[1]!);
    return Number.isNaN(t.getTime()) ? undefined : t;
  }
  return undefined;
}

/**
 * The lines written at or after `since`. A line without a timestamp (a
 * continuation, a stack trace) goes with the line before it. A log with no
 * timestamp at all is returned whole: dropping it would hide evidence.
 */
export function linesSince(text: string, since: Date): string {
  const lines = text.split("\n");
  // klog and capnslog timestamps are truncated to milliseconds here; a second of slack keeps the first lines.
  const from = since.getTime() - 1000;
  let keep = false;
  let anyTimestamp = false;
  const out: string[] = [];
  for (const line of lines) {
    const t = lineTime(line);
    if (t) {
      anyTimestamp = true;
      keep = t.getTime() >= from;
    }
    if (keep) out.push(line);
  }
  return anyTimestamp ? out.join("\n") : text;
}

/**
 * At most `cap` bytes of a log: its beginning and its end, with a line in the
 * middle that states the cap and how much was left out, so nobody mistakes a
 * capped log for a whole one.
 */
export function capLog(text: string, cap = LOG_CAP_BYTES): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= cap) return text;
  const buf = Buffer.from(text);
  const head = buf.subarray(0, Math.floor(cap / 4)).toString("utf8");
  const tail = buf.subarray(bytes - Math.floor((cap * 3) / 4)).toString("utf8");
  const omitted = bytes - Math.floor(cap / 4) - Math.floor((cap * 3) / 4);
  return `${head}\n… [${omitted} bytes left out: this attachment is capped at ${cap} bytes (first quarter, last three quarters) of ${bytes}] …\n${tail}`;
}

/** A refusal by the other side, at any log level (client-go logs a 401 as "Unauthorized"). */
const REFUSAL = /\b(Unauthorized|Forbidden|401|403|x509:|connection refused)\b/;
/** klog's error and fatal lines ("E1129 10:47:41.123456 ..."), cobra's "Error: unknown flag". */
const ERROR_LINE = /^[EF]\d{4} |^(Error|error): /;

/**
 * The component's own words for a failure: its last refusal line when it
 * logged one (the cause a stuck bootstrap has; later errors are its
 * consequences, e.g. "node not found"), else its last error line, else
 * undefined.
 */
export function lastErrorLine(log: string): string | undefined {
  const lines = log.split("\n").reverse();
  return (lines.find((l) => REFUSAL.test(l)) ?? lines.find((l) => ERROR_LINE.test(l)))?.trim();
}
