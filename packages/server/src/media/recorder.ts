/**
 * Call recordings: the call's parties mixed into one WAV file per
 * interaction under `<data>/recordings/<tenant>/`. The row is stored when
 * recording starts; audio reaches the file within a second; stopping pauses
 * (a later start goes on in the same file) and the file is completed when
 * the call ends. At start-up, files a crash left open get their header
 * repaired and count as complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger } from '../log/index.ts';
import type { Database, RecordingTable } from '../store/index.ts';
import { newId, nowIso } from '../store/index.ts';
import { SAMPLE_RATE } from './dsp.ts';
import type { MixSink } from './mixer.ts';
import { WAV_HEADER_BYTES, wavHeader } from './wav.ts';

/** Audio buffered before it is written: one second. */
const FLUSH_BYTES = SAMPLE_RATE * 2;

class Recording implements MixSink {
  parties: readonly string[] = [];
  readonly #fd: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  bytes: number;
  paused = false;

  constructor(
    readonly id: string,
    readonly file: string,
    fd: number,
    bytes: number,
  ) {
    this.#fd = fd;
    this.bytes = bytes;
  }

  write(pcm: Int16Array): void {
    if (this.paused) return;
    const buf = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    this.#pending.push(Buffer.from(buf));
    this.#pendingBytes += buf.length;
    if (this.#pendingBytes >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (this.#pendingBytes === 0) return;
    const data = Buffer.concat(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    fs.writeSync(this.#fd, data, 0, data.length, WAV_HEADER_BYTES + this.bytes);
    this.bytes += data.length;
    // The header always tells the length so far: a download mid-call is a playable file.
    fs.writeSync(this.#fd, wavHeader(this.bytes), 0, WAV_HEADER_BYTES, 0);
  }

  close(): void {
    this.flush();
    fs.writeSync(this.#fd, wavHeader(this.bytes), 0, WAV_HEADER_BYTES, 0);
    fs.closeSync(this.#fd);
  }
}

export interface RecordingInfo {
  readonly id: string;
  readonly interaction_id: string;
  readonly state: RecordingTable['state'];
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly duration_ms: number;
  readonly bytes: number;
}

function info(row: RecordingTable): RecordingInfo {
  return {
    id: row.id,
    interaction_id: row.interaction_id,
    state: row.state,
    started_at: row.started_at,
    ended_at: row.ended_at,
    duration_ms: row.duration_ms,
    bytes: row.bytes,
  };
}

export class Recorder {
  readonly #db: Kysely<Database>;
  readonly #dataDir: string;
  readonly #log: Logger;
  readonly #open = new Map<string, Recording>();

  constructor(opts: { db: Kysely<Database>; dataDir: string; log: Logger }) {
    this.#db = opts.db;
    this.#dataDir = opts.dataDir;
    this.#log = opts.log;
  }

  /** Completes what a crash left open: the header gets the length the file has. */
  async repair(): Promise<number> {
    const rows = await this.#db.selectFrom('recordings').selectAll().where('state', '!=', 'complete').execute();
    for (const row of rows) {
      const file = path.join(this.#dataDir, row.file);
      let bytes = 0;
      try {
        const size = fs.statSync(file).size;
        bytes = Math.max(0, size - WAV_HEADER_BYTES) & ~1;
        const fd = fs.openSync(file, 'r+');
        fs.writeSync(fd, wavHeader(bytes), 0, WAV_HEADER_BYTES, 0);
        fs.closeSync(fd);
      } catch (err) {
        this.#log.warn({ err, recording: row.id }, 'a recording file is missing; its row is kept');
      }
      await this.#db
        .updateTable('recordings')
        .set({
          state: 'complete',
          bytes,
          duration_ms: Math.round((bytes / 2 / SAMPLE_RATE) * 1000),
          ended_at: row.ended_at ?? nowIso(),
        })
        .where('id', '=', row.id)
        .execute();
    }
    return rows.length;
  }

  /** Starts (or resumes) recording an interaction; returns the sink the mixer feeds. */
  async start(tenantId: string, interactionId: string, agentId: string | null): Promise<MixSink> {
    const open = this.#open.get(interactionId);
    if (open) {
      open.paused = false;
      await this.#db.updateTable('recordings').set({ state: 'recording' }).where('id', '=', open.id).execute();
      return open;
    }
    const id = newId();
    const rel = path.join('recordings', tenantId, `${interactionId}-${id}.wav`);
    const file = path.join(this.#dataDir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, wavHeader(0));
    await this.#db
      .insertInto('recordings')
      .values({
        id,
        tenant_id: tenantId,
        interaction_id: interactionId,
        agent_id: agentId,
        file: rel,
        state: 'recording',
        started_at: nowIso(),
        ended_at: null,
        duration_ms: 0,
        bytes: 0,
      })
      .execute();
    const rec = new Recording(id, file, fd, 0);
    this.#open.set(interactionId, rec);
    return rec;
  }

  /** Pauses: the file stays open for a later start. */
  async pause(interactionId: string): Promise<MixSink | null> {
    const rec = this.#open.get(interactionId);
    if (!rec) return null;
    rec.paused = true;
    rec.flush();
    await this.#db
      .updateTable('recordings')
      .set({ state: 'paused', bytes: rec.bytes, duration_ms: Math.round((rec.bytes / 2 / SAMPLE_RATE) * 1000) })
      .where('id', '=', rec.id)
      .execute();
    return rec;
  }

  /** The call ended: the file is completed. */
  async finish(interactionId: string): Promise<MixSink | null> {
    const rec = this.#open.get(interactionId);
    if (!rec) return null;
    this.#open.delete(interactionId);
    rec.close();
    await this.#db
      .updateTable('recordings')
      .set({
        state: 'complete',
        ended_at: nowIso(),
        bytes: rec.bytes,
        duration_ms: Math.round((rec.bytes / 2 / SAMPLE_RATE) * 1000),
      })
      .where('id', '=', rec.id)
      .execute();
    return rec;
  }

  /** Completes every open recording (server shutdown). */
  async finishAll(): Promise<void> {
    for (const id of [...this.#open.keys()]) await this.finish(id);
  }

  isRecording(interactionId: string): boolean {
    const rec = this.#open.get(interactionId);
    return rec !== undefined && !rec.paused;
  }

  async list(tenantId: string, interactionIds: readonly string[]): Promise<RecordingInfo[]> {
    if (interactionIds.length === 0) return [];
    const rows = await this.#db
      .selectFrom('recordings')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('interaction_id', 'in', interactionIds)
      .orderBy('started_at')
      .execute();
    return rows.map(info);
  }

  /** One recording's row and its file's path. */
  async find(tenantId: string, id: string): Promise<{ row: RecordingTable; path: string } | null> {
    const row = await this.#db
      .selectFrom('recordings')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    // Flush what is buffered so a download during the call has everything so far.
    for (const rec of this.#open.values()) if (rec.id === id) rec.flush();
    return { row, path: path.join(this.#dataDir, row.file) };
  }
}
