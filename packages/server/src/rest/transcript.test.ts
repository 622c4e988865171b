/**
 * Transcript mail is no open relay: anyone can start a chat with a stranger's
 * address, so the stranger gets at most a short confirmation link, at most
 * three a day whichever chats and tenants ask, and never the chat's text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/index.ts';
import { CONFIRMATIONS_PER_ADDRESS_PER_DAY } from './transcript.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const start = async (email: string) => {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/chat',
    payload: { name: 'Definitely Your Bank', email },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().token as string;
};
const ask = (token: string) =>
  h.app.inject({ method: 'POST', url: '/api/v1/chat/transcript', headers: { 'x-parley-conversation': token } });

describe('transcript mail', () => {
  it('mails a stranger at most a few bare links a day, whatever the chats say', async () => {
    const stranger = 'stranger@example.org';
    const answers = [];
    for (let i = 0; i <= CONFIRMATIONS_PER_ADDRESS_PER_DAY; i++)
      answers.push((await ask(await start(stranger))).statusCode);
    expect(answers).toEqual([...Array(CONFIRMATIONS_PER_ADDRESS_PER_DAY).fill(202), 429]);
    const mails = await h.db.selectFrom('demo_mailbox').selectAll().where('to', '=', stranger).execute();
    expect(mails).toHaveLength(CONFIRMATIONS_PER_ADDRESS_PER_DAY);
    for (const mail of mails) expect(mail.text).not.toContain('Definitely Your Bank');
    // Another address is not affected.
    expect((await ask(await start('someone-else@example.org'))).statusCode).toBe(202);
  });
});
