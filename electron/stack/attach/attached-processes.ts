import type {
  AttachedProcess,
  AttachedProcessPool,
  AttachHello,
  AttachProcessList,
  AttachReport,
} from '../../../shared/contract/attach';
import type { LimiterSnapshot, ProcessRef, SemaphoreSnapshot, WorkerPoolSnapshot } from '../../../shared/contract/concurrency';
import type { Clock } from '../clock/clock';
import { limiterFromReport, semaphoreFromReport, workerPoolFromReport } from './attached-primitives';

/** Disconnected processes kept on the list (oldest disconnected forgotten first). */
const MAX_DISCONNECTED = 20;
/** Connected processes at once; one more is refused before hello is read. */
export const MAX_CONNECTED_PROCESSES = 100;

interface Entry {
  process: AttachedProcess;
  instanceId: string;
  report: AttachReport | null;
}

export interface AttachedPrimitives {
  semaphores: SemaphoreSnapshot[];
  workerPools: WorkerPoolSnapshot[];
  limiters: LimiterSnapshot[];
}

/**
 * The panel's list of attached processes and the last report of each. A connection says hello (which
 * creates the entry, or brings back the one with the same instance id after a reconnect), reports, and
 * disconnects (the entry stays, marked disconnected, with its last-known primitives). Each connection
 * can only ever touch its own entry: the id is the panel's, not the process's.
 */
export class AttachedProcesses {
  private readonly entries = new Map<string, Entry>();
  private nextId = 1;

  constructor(private readonly clock: Clock) {}

  get connectedCount(): number {
    let n = 0;
    for (const entry of this.entries.values()) if (entry.process.state === 'connected') n += 1;
    return n;
  }

  /** A process said hello; returns the id its later reports and disconnect use. */
  connect(hello: AttachHello): string {
    const now = this.clock.now();
    for (const [id, entry] of this.entries) {
      if (entry.instanceId === hello.instanceId && entry.process.pid === hello.pid && entry.process.host === hello.host) {
        if (entry.process.state === 'connected') break; // a second live connection claiming the same instance: a new entry
        entry.process = { ...entry.process, state: 'connected', connectedAt: now, disconnectedAt: null, connections: entry.process.connections + 1 };
        return id;
      }
    }
    const id = `p${this.nextId++}`;
    this.entries.set(id, {
      instanceId: hello.instanceId,
      report: null,
      process: {
        id,
        name: hello.name,
        pid: hello.pid,
        host: hello.host,
        language: hello.language,
        library: hello.library ?? null,
        startedAt: hello.startedAt,
        state: 'connected',
        connectedAt: now,
        disconnectedAt: null,
        lastReportAt: null,
        reports: 0,
        connections: 1,
        dropped: 0,
        primitives: { semaphores: 0, workerPools: 0, limiters: 0, pools: 0 },
      },
    });
    return id;
  }

  report(id: string, report: AttachReport): void {
    const entry = this.entries.get(id);
    if (!entry || entry.process.state !== 'connected') return;
    entry.report = report;
    entry.process = {
      ...entry.process,
      lastReportAt: this.clock.now(),
      reports: entry.process.reports + 1,
      dropped: report.dropped,
      primitives: {
        semaphores: report.semaphores.length,
        workerPools: report.workerPools.length,
        limiters: report.limiters.length,
        pools: report.pools.length,
      },
    };
  }

  disconnect(id: string): void {
    const entry = this.entries.get(id);
    if (!entry || entry.process.state === 'disconnected') return;
    entry.process = { ...entry.process, state: 'disconnected', disconnectedAt: this.clock.now() };
    this.forgetOldDisconnected();
  }

  list(): AttachProcessList {
    const processes: AttachedProcess[] = [];
    const pools: AttachedProcessPool[] = [];
    for (const entry of this.entries.values()) {
      processes.push(entry.process);
      for (const pool of entry.report?.pools ?? []) {
        pools.push({ ...pool, processId: entry.process.id, processName: entry.process.name, connected: entry.process.state === 'connected' });
      }
    }
    return { t: this.clock.now(), processes, pools };
  }

  /** Every attached primitive, shaped like the panel's own and tagged with its process. */
  primitives(): AttachedPrimitives {
    const out: AttachedPrimitives = { semaphores: [], workerPools: [], limiters: [] };
    for (const entry of this.entries.values()) {
      const report = entry.report;
      if (!report) continue;
      const ref: ProcessRef = { id: entry.process.id, name: entry.process.name, connected: entry.process.state === 'connected' };
      for (const s of report.semaphores) out.semaphores.push(semaphoreFromReport(s, ref));
      for (const w of report.workerPools) out.workerPools.push(workerPoolFromReport(w, ref));
      for (const l of report.limiters) out.limiters.push(limiterFromReport(l, ref));
    }
    return out;
  }

  private forgetOldDisconnected(): void {
    const disconnected = [...this.entries.entries()]
      .filter(([, entry]) => entry.process.state === 'disconnected')
      .sort(([, a], [, b]) => (a.process.disconnectedAt ?? 0) - (b.process.disconnectedAt ?? 0));
    for (const [id] of disconnected.slice(0, Math.max(0, disconnected.length - MAX_DISCONNECTED))) this.entries.delete(id);
  }
}
