/** What every REST route file needs: the caller, wire conversion, rights and error helpers. */
import type { FastifyRequest } from 'fastify';
import { requireCaller, type Caller } from '../auth/request.ts';
import { HttpError } from '../http/errors.ts';
import { listPresenceProfiles } from '../presence/index.ts';
import { AddressTakenError, findQueue } from '../queues/index.ts';
import { toWireUser, UsernameTakenError, type UserRecord } from '../users/index.ts';
import type { AppContext } from '../context.ts';

export function restHelpers(ctx: AppContext) {
  const caller = (request: FastifyRequest): Promise<Caller> => requireCaller(ctx, request);
  const wire = async (user: UserRecord) => toWireUser(user, await listPresenceProfiles(ctx.db, user.tenantId));
  const seesDetail = (user: UserRecord) => user.role === 'supervisor' || user.role === 'admin';
  const conflictsToHttp = (err: unknown): never => {
    if (err instanceof UsernameTakenError) throw new HttpError('invalid_state', err.message);
    if (err instanceof AddressTakenError) throw new HttpError('conflict', err.message);
    throw err;
  };
  const queueOr404 = async (tenantId: string, id: string) => {
    const queue = await findQueue(ctx.db, tenantId, id);
    if (!queue) throw new HttpError('not_found', `No queue ${id}.`);
    return queue;
  };

  return { caller, wire, seesDetail, conflictsToHttp, queueOr404 };
}
