import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log/index.ts';
import { openStore } from '../store/index.ts';
import { ensureTenant } from '../tenants/index.ts';
import { FRAME, ToneLoop, goertzel } from './dsp.ts';
import { Recorder } from './recorder.ts';
import { readWav } from './wav.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-rec-'));
  dirs.push(dir);
  const db = await openStore({ sqliteFile: path.join(dir, 'parley.sqlite') });
  const tenant = await ensureTenant(db, { slug: 'default', name: 'T' });
  const log = createLogger('silent');
  return { dir, db, tenant, log, recorder: () => new Recorder({ db, dataDir: dir, log }) };
}

const tone = (hz: number, frames: number) => {
  const loop = new ToneLoop([[[hz], 1000]]);
  return Array.from({ length: frames }, () => loop.next());
};

describe('Recorder', () => {
  it('pauses and resumes in one file, and completes it when the call ends', async () => {
    const { db, tenant, recorder } = await setup();
    const rec = recorder();
    const id = 'a'.repeat(32);
    const sink = await rec.start(tenant.id, id, null);
    for (const f of tone(1000, 50)) sink.write(f);
    await rec.pause(id);
    for (const f of tone(500, 50)) sink.write(f); // paused: not recorded
    const again = await rec.start(tenant.id, id, null);
    expect(again).toBe(sink);
    for (const f of tone(2000, 50)) sink.write(f);
    await rec.finish(id);
    const [row] = await rec.list(tenant.id, [id]);
    expect(row).toMatchObject({ state: 'complete', duration_ms: 2000, bytes: 100 * FRAME * 2 });
    const found = await rec.find(tenant.id, row?.id ?? '');
    const { samples, rate } = readWav(fs.readFileSync(found?.path ?? ''));
    expect(rate).toBe(8000);
    expect(samples.length).toBe(100 * FRAME);
    const first = samples.subarray(0, 50 * FRAME);
    const second = samples.subarray(50 * FRAME);
    expect(goertzel(first, 1000)).toBeGreaterThan(1e5);
    expect(goertzel(second, 2000)).toBeGreaterThan(1e5);
    expect(goertzel(samples, 500)).toBeLessThan(1e3);
    await db.destroy();
  });

  it('repairs a file a crash left open: the header gets the length, the row is complete', async () => {
    const { db, tenant, recorder } = await setup();
    const id = 'b'.repeat(32);
    const sink = await recorder().start(tenant.id, id, null);
    // Three seconds reach the disk (flushed each second), then the process dies without finishing.
    for (const f of tone(1000, 150)) sink.write(f);
    const before = await db.selectFrom('recordings').selectAll().executeTakeFirstOrThrow();
    expect(before.state).toBe('recording');

    const after = recorder();
    expect(await after.repair()).toBe(1);
    const [row] = await after.list(tenant.id, [id]);
    expect(row).toMatchObject({ state: 'complete', duration_ms: 3000 });
    const found = await after.find(tenant.id, row?.id ?? '');
    const { samples } = readWav(fs.readFileSync(found?.path ?? ''));
    expect(samples.length).toBe(150 * FRAME);
    expect(goertzel(samples, 1000)).toBeGreaterThan(1e5);
    expect(await after.repair()).toBe(0);
    await db.destroy();
  });
});
