/**
 * The list of calls with media in progress, kept on disk. Media lives in
 * the process: after a crash the calls listed are over, and the plane ends
 * their interactions (MediaPlane.recover). Written atomically, and only when
 * the list changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log/index.ts';

export interface JournalEntry {
  /** The tenant. */
  readonly t: string;
  /** The interaction. */
  readonly id: string;
}

export class CallJournal {
  readonly #file: string | undefined;
  readonly #log: Logger;
  /** What the file says now (JSON). */
  #written = '[]';
  /** The calls the last process left, until taken. */
  #orphans: JournalEntry[];

  constructor(file: string | undefined, log: Logger) {
    this.#file = file;
    this.#log = log;
    this.#orphans = read(file, log);
  }

  /** The calls the last process left (once). */
  takeOrphans(): JournalEntry[] {
    return this.#orphans.splice(0);
  }

  /** Lists `live` (and the orphans not taken yet, so a crash before recovery loses none). */
  write(live: readonly JournalEntry[]): void {
    const file = this.#file;
    if (!file) return;
    const all = [...live, ...this.#orphans].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const json = JSON.stringify(all);
    if (json === this.#written) return;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(`${file}.tmp`, json);
      fs.renameSync(`${file}.tmp`, file);
      this.#written = json;
    } catch (err) {
      this.#log.warn({ err }, 'cannot write the list of calls in progress');
    }
  }
}

/** The calls a journal lists (none when it is missing or unreadable). */
function read(file: string | undefined, log: Logger): JournalEntry[] {
  if (!file) return [];
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is JournalEntry =>
        typeof e === 'object' && e !== null && typeof e.t === 'string' && typeof e.id === 'string',
    );
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') log.warn({ err }, 'the list of calls in progress is unreadable');
    return [];
  }
}
