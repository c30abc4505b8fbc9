import { chmodSync, existsSync, mkdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../testing/temp-dir';
import { postgresOsUser } from './os-user';
import { copiedWhereReachable } from './postgres-binaries';
import { canTraverse } from './server-dir';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const dir = makeTempDir();
const copies: string[] = [];
afterAll(() => {
  dir.remove();
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

// Only root hands the server to the postgres user; elsewhere the server runs as the caller.
describe.skipIf(!isRoot)('embedded binaries the postgres user cannot reach (running as root)', () => {
  it('are copied once, with their lib and share beside them, to a folder postgres can enter', async () => {
    const runAs = await postgresOsUser();
    if (!runAs) throw new Error('running as root, a postgres user should exist or be created');
    const native = join(dir.path, `native-${process.pid}`);
    for (const sub of ['bin', 'lib', 'share']) mkdirSync(join(native, sub), { recursive: true });
    writeFileSync(join(native, 'bin', 'postgres'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(native, 'bin', 'initdb'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(native, 'lib', 'libpq.so.5.15'), 'lib');
    symlinkSync('libpq.so.5.15', join(native, 'lib', 'libpq.so.5'));
    chmodSync(dir.path, 0o700);
    expect(canTraverse(join(native, 'bin'), runAs)).toBe(false);

    const moved = copiedWhereReachable({ postgres: join(native, 'bin', 'postgres'), initdb: join(native, 'bin', 'initdb') }, undefined);
    copies.push(dirname(dirname(moved.postgres)));
    expect(existsSync(moved.postgres) && existsSync(moved.initdb)).toBe(true);
    expect(canTraverse(dirname(moved.postgres), runAs)).toBe(true);
    expect(readlinkSync(join(dirname(dirname(moved.postgres)), 'lib', 'libpq.so.5'))).toBe('libpq.so.5.15');
    // A second call reuses the copy.
    expect(copiedWhereReachable({ postgres: join(native, 'bin', 'postgres'), initdb: join(native, 'bin', 'initdb') }, undefined)).toEqual(moved);
  });
});
