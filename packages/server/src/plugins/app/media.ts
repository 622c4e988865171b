/**
 * Voice: the recorder (finishing recordings a crash left open) and the
 * media plane, which terminates every call at the server. The plane acts on
 * the desks; the desks ask it whether a number can ring (unless the far
 * party is scripted by tests, where every number can).
 */
import path from 'node:path';
import fp from 'fastify-plugin';
import { MediaPlane, Recorder } from '../../media/index.ts';
import { PLUGIN } from '../decorations.ts';

export const mediaPlugin = fp<{ scriptedFarParty: boolean }>(
  async (app, { scriptedFarParty }) => {
    const { config, db, bus, baseLog: log, interactions } = app;
    const recorder = new Recorder({ db, dataDir: config.dataDir, log: log.child({ subsystem: 'recorder' }) });
    const repaired = await recorder.repair();
    if (repaired > 0) log.info({ repaired }, 'recordings left open by a crash were completed');
    const media = new MediaPlane({
      bus,
      db,
      log: log.child({ subsystem: 'media' }),
      interactions,
      recorder,
      network: {
        address: config.voice.mediaAddress,
        ...(config.voice.mediaPorts ? { ports: config.voice.mediaPorts } : {}),
      },
      virtualPstn: config.voice.virtualPstn,
      reattachSeconds: config.voice.reattachSeconds,
      ringSeconds: config.voice.ringSeconds,
      dialsPerMinute: config.voice.callsPerMinute,
      scriptedFarParty,
      journal: path.join(config.dataDir, 'calls-in-progress.json'),
    });
    if (!scriptedFarParty) interactions.connectVoice(media);
    app.decorate('recorder', recorder);
    app.decorate('media', media);
  },
  { name: PLUGIN.media, dependencies: [PLUGIN.config, PLUGIN.store, PLUGIN.bus, PLUGIN.interactions] },
);
