/**
 * The demo tenant: a realistic small contact center, so every capability can
 * be tried at once. Idempotent: it runs at every demo start. A changed
 * PARLEY_DEMO_PASSWORD re-hashes the demo users.
 */
import type { ChannelType, Role } from '@parley/protocol';
import type { Kysely } from 'kysely';
import { hashPassword, verifyPassword } from '../auth/index.ts';
import { ensurePresenceProfile, ensureReasonCode } from '../presence/index.ts';
import { createCanned, listCanned } from '../customers/index.ts';
import { createQueue, listQueues, setMembership } from '../queues/index.ts';
import type { Database } from '../store/index.ts';
import { createTeam, listTeams, setTeamMember } from '../teams/index.ts';
import { addAllowedOrigins, DEFAULT_TENANT_SLUG, ensureTenant, updateTenant, type Tenant } from '../tenants/index.ts';
import { createUser, findUserForLogin, updateUser } from '../users/index.ts';

/** The demo users: username, display name, role. */
export const DEMO_USERS: ReadonlyArray<{
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
}> = [
  { username: 'agent1', displayName: 'Ada Agent', role: 'agent' },
  { username: 'agent2', displayName: 'Ben Agent', role: 'agent' },
  { username: 'agent3', displayName: 'Cleo Agent', role: 'agent' },
  { username: 'agent4', displayName: 'Dev Agent', role: 'agent' },
  { username: 'agent5', displayName: 'Eve Agent', role: 'agent' },
  { username: 'supervisor', displayName: 'Sam Supervisor', role: 'supervisor' },
  { username: 'admin', displayName: 'Alex Admin', role: 'admin' },
];

/** The demo teams: who belongs (agents) and who supervises; Cleo works in both. */
export const DEMO_TEAMS: ReadonlyArray<{ readonly name: string; readonly members: readonly string[] }> = [
  { name: 'Frontline', members: ['agent1', 'agent2', 'agent3'] },
  { name: 'Specialists', members: ['agent3', 'agent4', 'agent5'] },
];

/** The demo queues; numbers are from the fictional 555-01xx range. */
export const DEMO_QUEUES: ReadonlyArray<{
  readonly name: string;
  readonly channel: ChannelType;
  readonly addresses: readonly string[];
  readonly priority: number;
  readonly skills: readonly string[];
  readonly wrapupSeconds: number;
}> = [
  { name: 'Sales', channel: 'phone', addresses: ['+15555550100'], priority: 5, skills: ['sales'], wrapupSeconds: 60 },
  {
    name: 'Support',
    channel: 'phone',
    addresses: ['+15555550200', '+15555550201'],
    priority: 3,
    skills: ['support'],
    wrapupSeconds: 90,
  },
  { name: 'Web Chat', channel: 'chat', addresses: ['webchat'], priority: 4, skills: [], wrapupSeconds: 30 },
  {
    name: 'Email Support',
    channel: 'email',
    addresses: ['support@demo.parley.local'],
    priority: 1,
    skills: ['support'],
    wrapupSeconds: 120,
  },
  { name: 'SMS', channel: 'sms', addresses: ['+15555550300'], priority: 2, skills: [], wrapupSeconds: 30 },
  { name: 'WhatsApp', channel: 'whatsapp', addresses: ['+15555550400'], priority: 2, skills: [], wrapupSeconds: 30 },
];

const PROFILES = [
  ['Available', true],
  ['Away', false],
  ['Lunch', false],
  ['Meeting', false],
  ['Training', false],
  ['Offline', false],
] as const;

const NOT_READY_REASONS = [
  ['break', 'Break'],
  ['lunch', 'Lunch'],
  ['meeting', 'Meeting'],
  ['training', 'Training'],
  ['back_office', 'Back-office work'],
  ['missed_offers', 'Missed offers'],
] as const;

const WRAP_UP_CODES = [
  ['resolved', 'Resolved'],
  ['callback', 'Callback promised'],
  ['escalated', 'Escalated'],
  ['sale', 'Sale'],
  ['no_answer', 'No answer / abandoned'],
] as const;

/** Seeds (or refreshes) the demo tenant and returns it. */
export async function seedDemo(
  db: Kysely<Database>,
  input: { password: string; allowedOrigins: readonly string[] },
): Promise<Tenant> {
  // Hash once, outside any transaction: argon2 is slow on purpose.
  let sharedHash: string | null = null;
  const hashFor = async () => (sharedHash ??= await hashPassword(input.password));
  // The demo users share one hash: verify each distinct hash once, not once per user, at every start.
  const verified = new Map<string, Promise<boolean>>();
  const verifyOnce = (hash: string) => {
    let result = verified.get(hash);
    if (!result) verified.set(hash, (result = verifyPassword(hash, input.password)));
    return result;
  };
  const tenant = await addAllowedOrigins(
    db,
    await ensureTenant(db, { slug: DEFAULT_TENANT_SLUG, name: 'Parley Demo', allowedOrigins: input.allowedOrigins }),
    input.allowedOrigins,
  );

  const profileIds: string[] = [];
  for (const [index, [name, ready]] of PROFILES.entries())
    profileIds.push(await ensurePresenceProfile(db, tenant.id, name, ready, index));
  for (const [sort, [code, label]] of NOT_READY_REASONS.entries())
    await ensureReasonCode(db, tenant.id, { kind: 'not_ready', code, label, sort });
  for (const [sort, [code, label]] of WRAP_UP_CODES.entries())
    await ensureReasonCode(db, tenant.id, { kind: 'wrap_up', code, label, sort });

  const userIds = new Map<string, string>();
  for (const demo of DEMO_USERS) {
    const existing = await findUserForLogin(db, tenant.id, demo.username);
    if (!existing) {
      const created = await createUser(db, tenant.id, {
        username: demo.username,
        displayName: demo.displayName,
        email: `${demo.username}@demo.parley.local`,
        role: demo.role,
        passwordHash: await hashFor(),
        presenceProfileId: profileIds[0] ?? null,
      });
      userIds.set(demo.username, created.id);
      continue;
    }
    userIds.set(demo.username, existing.user.id);
    const keep = existing.passwordHash !== null && (await verifyOnce(existing.passwordHash));
    if (!keep) await updateUser(db, tenant.id, existing.user.id, { passwordHash: await hashFor() });
  }

  const existingQueues = new Set((await listQueues(db, tenant.id)).map((q) => q.name));
  for (const [q, queue] of DEMO_QUEUES.entries()) {
    if (existingQueues.has(queue.name)) continue;
    const created = await db.transaction().execute((trx) => createQueue(trx, tenant.id, queue));
    // Every agent serves four of the six queues, with proficiencies that differ from agent to agent.
    for (let a = 1; a <= 5; a++) {
      if ((q + a) % 3 === 0) continue;
      await setMembership(db, tenant.id, {
        queueId: created.id,
        userId: userIds.get(`agent${a}`) ?? '',
        canServe: true,
        proficiency: ((q + 2 * a) % 5) + 1,
      });
    }
    // The supervisor can see every queue and serve the busiest ones.
    await setMembership(db, tenant.id, {
      queueId: created.id,
      userId: userIds.get('supervisor') ?? '',
      canServe: queue.channel === 'phone',
      proficiency: 5,
    });
  }
  // Teams are seeded once: an admin's later changes to them stay.
  const existingTeams = new Set((await listTeams(db, tenant.id)).map((t) => t.name));
  for (const team of DEMO_TEAMS) {
    if (existingTeams.has(team.name)) continue;
    const { id } = await createTeam(db, tenant.id, team.name);
    for (const username of team.members) await setTeamMember(db, tenant.id, id, userIds.get(username) ?? '', false);
    await setTeamMember(db, tenant.id, id, userIds.get('supervisor') ?? '', true);
  }
  // Canned responses are seeded once, into an empty list: an admin's own stay as they are.
  if ((await listCanned(db, tenant.id, '')).length === 0)
    for (const canned of DEMO_CANNED_RESPONSES)
      await createCanned(db, tenant.id, { ownerId: null, ...canned }, new Date());
  // WhatsApp templates: what may be sent to a number outside the 24-hour window.
  if (!Array.isArray(tenant.settings['whatsapp_templates']))
    return (
      (await updateTenant(db, tenant.id, {
        settings: { ...tenant.settings, whatsapp_templates: DEMO_WHATSAPP_TEMPLATES },
      })) ?? tenant
    );
  return tenant;
}

/** The demo's tenant-wide canned responses (`/hello` in the compose box). */
export const DEMO_CANNED_RESPONSES = [
  {
    shortcut: 'hello',
    title: 'Greeting',
    body: 'Hello {{customer.first_name}}, this is {{agent.first_name}}. How can I help you today?',
  },
  {
    shortcut: 'moment',
    title: 'One moment',
    body: 'Thank you, {{customer.first_name}}. Let me check that for you — one moment please.',
  },
  {
    shortcut: 'thanks',
    title: 'Closing',
    body: 'Thank you for contacting Parley Demo, {{customer.first_name}}. Have a good day!',
  },
];

/** The demo's approved WhatsApp templates. */
export const DEMO_WHATSAPP_TEMPLATES = [
  {
    id: 'welcome',
    name: 'Welcome',
    body: 'Hello! This is Parley Demo. How can we help you today? Reply to this message to chat with us.',
  },
  {
    id: 'follow_up',
    name: 'Follow-up',
    body: 'Hello again from Parley Demo: we are following up on your request. Reply here to continue.',
  },
];
