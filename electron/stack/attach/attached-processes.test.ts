import { describe, expect, it } from 'vitest';
import type { AttachHello } from '../../../shared/contract/attach';
import { AttachReportSchema } from '../../../shared/contract/attach';
import { ManualClock } from '../clock/manual-clock';
import { AttachedProcesses } from './attached-processes';

const hello = (instanceId: string, name = 'agent'): AttachHello => ({
  type: 'hello',
  protocol: 1,
  instanceId,
  name,
  pid: 100,
  host: 'h',
  startedAt: 0,
  language: 'python',
});
const report = AttachReportSchema.parse({
  type: 'report',
  seq: 1,
  t: 0,
  semaphores: [{ name: 'llm', permits: 3, inUse: 2 }],
  pools: [{ name: 'pg', total: 5, idle: 3, waiting: 0, leased: 2, min: 2, max: 10 }],
  dropped: 2,
});

describe('AttachedProcesses (the process list)', () => {
  it('shows name, pid, host, connection times and counts; a disconnect keeps the entry', () => {
    const clock = new ManualClock(1000);
    const list = new AttachedProcesses(clock);
    const id = list.connect(hello('instance-a'));
    clock.advance(500);
    list.report(id, report);
    clock.advance(500);
    list.disconnect(id);
    expect(list.list().processes[0]).toMatchObject({
      id,
      name: 'agent',
      pid: 100,
      host: 'h',
      language: 'python',
      state: 'disconnected',
      connectedAt: 1000,
      lastReportAt: 1500,
      disconnectedAt: 2000,
      dropped: 2,
      reports: 1,
      primitives: { semaphores: 1, workerPools: 0, limiters: 0, pools: 1 },
    });
    expect(list.list().pools).toEqual([expect.objectContaining({ name: 'pg', processId: id, processName: 'agent', connected: false })]);
  });

  it('a reconnect with the same instance id is the same process again, counted', () => {
    const list = new AttachedProcesses(new ManualClock());
    const first = list.connect(hello('instance-a'));
    list.disconnect(first);
    const again = list.connect(hello('instance-a'));
    expect(again).toBe(first);
    expect(list.list().processes).toHaveLength(1);
    expect(list.list().processes[0]).toMatchObject({ state: 'connected', connections: 2, disconnectedAt: null });
  });

  it('a second live connection claiming a connected instance gets its own entry (it cannot take over)', () => {
    const list = new AttachedProcesses(new ManualClock());
    const first = list.connect(hello('instance-a', 'real'));
    const second = list.connect(hello('instance-a', 'impostor'));
    expect(second).not.toBe(first);
    list.report(second, report);
    expect(list.primitives().semaphores.map((s) => s.process?.name)).toEqual(['impostor']);
  });

  it('forgets the oldest disconnected processes past 20, never a connected one', () => {
    const clock = new ManualClock();
    const list = new AttachedProcesses(clock);
    const live = list.connect(hello('instance-live'));
    for (let i = 0; i < 25; i++) {
      clock.advance(10);
      list.disconnect(list.connect(hello(`instance-${i}`, `gone-${i}`)));
    }
    const names = list.list().processes.map((p) => p.name);
    expect(names).toHaveLength(21);
    expect(names).not.toContain('gone-0');
    expect(names).toContain('gone-24');
    expect(list.list().processes.find((p) => p.id === live)?.state).toBe('connected');
  });
});
