/** WAV (RIFF, 16-bit PCM, mono, 8 kHz) headers: written up front, patched when the length is known. */
import { SAMPLE_RATE } from './dsp.ts';

export const WAV_HEADER_BYTES = 44;

/** The 44-byte header of a mono 16-bit PCM file with `dataBytes` of samples. */
export function wavHeader(dataBytes: number, rate = SAMPLE_RATE): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** The samples of a WAV file written by {@link wavHeader} (for tests and checks). */
export function readWav(file: Buffer): { rate: number; samples: Int16Array } {
  if (
    file.length < WAV_HEADER_BYTES ||
    file.toString('ascii', 0, 4) !== 'RIFF' ||
    file.toString('ascii', 8, 12) !== 'WAVE'
  )
    throw new Error('not a WAV file');
  const rate = file.readUInt32LE(24);
  const bytes = Math.min(file.readUInt32LE(40), file.length - WAV_HEADER_BYTES);
  const samples = new Int16Array(bytes >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = file.readInt16LE(WAV_HEADER_BYTES + i * 2);
  return { rate, samples };
}
