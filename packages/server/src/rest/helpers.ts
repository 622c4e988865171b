/** What every REST route file needs: the caller, wire conversion and rights. */
import { CodedError } from '@parley/protocol';
import type { FastifyRequest } from 'fastify';
import { requireCaller, type Caller } from '../http/index.ts';
import { findQueue } from '../queues/index.ts';
import { wireUser, type UserRecord } from '../users/index.ts';
import type { AppContext } from '../context.ts';

export function restHelpers(ctx: AppContext) {
  const caller = (request: FastifyRequest): Promise<Caller> => requireCaller(ctx, request);
  const wire = (user: UserRecord) => wireUser(ctx.db, user);
  const seesDetail = (user: UserRecord) => user.role === 'supervisor' || user.role === 'admin';
  const queueOr404 = async (tenantId: string, id: string) => {
    const queue = await findQueue(ctx.db, tenantId, id);
    if (!queue) throw new CodedError('not_found', `No queue ${id}.`);
    return queue;
  };

  return { caller, wire, seesDetail, queueOr404 };
}
