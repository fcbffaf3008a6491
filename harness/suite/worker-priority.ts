import { setPriority } from "node:os";
import { currentSuite } from "../current-suite";
import { readRunEnv } from "../run/run-env";

/**
 * Before a suite file loads (a jest setup file of the suite projects): in a
 * run with first suites (renewal: its wait is set by Kubernetes' clocks), the
 * jest worker of every other suite lowers its CPU priority. Suites side by
 * side start their workers together, and loading a suite's modules takes a
 * few CPU-seconds each: at equal priority five workers on two cores took
 * 11.6 s to reach their first bring-up (kind, v1.37.2), so renewal's clusters,
 * and its clocks, started 9 s later than in a run of renewal alone (2.5–3.8 s);
 * with the others' workers at nice 10, renewal's got there in 7.2–9.7 s (the
 * others in up to 30 s, while renewal's clusters come up: they wait for those
 * bring-ups anyway). The processes a worker starts inherit its priority (a
 * binary cluster's components, its kubelets), so while the machine is busy,
 * the first suites' clusters and nodes get the CPU first and the others' use
 * what is left; an idle machine runs them all as before. The bring-up turns (bring-up-turns.ts) order the work; this
 * orders the CPU. Only jest workers (child processes with an IPC channel) do
 * it: with one suite at a time the suites run in the CLI's own process.
 */
export const OTHER_SUITES_NICENESS = 10;

const suite = currentSuite();
const { firstSuites } = readRunEnv().bringUps;
if (process.send && suite && firstSuites.length && !firstSuites.includes(suite)) setPriority(OTHER_SUITES_NICENESS);
