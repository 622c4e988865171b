/** What the media plane is built with, and what it reports. */
import type { Kysely } from 'kysely';
import type { Bus } from '../bus/index.ts';
import type { InteractionService } from '../interactions/index.ts';
import type { Logger } from '../log/index.ts';
import type { Database } from '../store/index.ts';
import type { Leg, LegNetwork } from './leg.ts';
import type { Recorder } from './recorder.ts';

export interface MediaPlaneOptions {
  readonly bus: Bus;
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly interactions: InteractionService;
  readonly recorder: Recorder;
  readonly network: LegNetwork;
  readonly virtualPstn: boolean;
  readonly reattachSeconds: number;
  readonly ringSeconds: number;
  /** Calls one client address may start per minute on /ws/phone. */
  readonly dialsPerMinute: number;
  /** Numbers no phone registered are left to the demo REST API to play (tests). */
  readonly scriptedFarParty?: boolean;
  /**
   * A file listing the calls with media in progress, kept current. Media
   * lives in this process: after a crash the calls listed there are over,
   * and {@link MediaPlane.recover} ends their interactions.
   */
  readonly journal?: string;
}

export interface Station {
  readonly leg: Leg;
  readonly tenantId: string;
  readonly userId: string;
  /** The connection that offered it: only its closing takes the station away. */
  readonly owner: object;
}

/** Where the media plane has got to, for `/healthz`-style checks and benches. */
export interface MediaStats {
  readonly legs: number;
  readonly stations: number;
  readonly calls: number;
  readonly relayed: number;
  readonly mixed: number;
  readonly late: number;
}
