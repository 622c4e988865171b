export type { QueueRecord, QueueMember, QueueInput } from './queues.ts';
export {
  listQueues,
  findQueue,
  listQueuesOfUser,
  createQueue,
  setQueueAddresses,
  findQueueByAddress,
  findMailbox,
  routeKey,
  setMembership,
  removeMembership,
  listMembers,
  toWireQueue,
  AddressTakenError,
} from './queues.ts';
export { queueNameTaken, servingMembers, servingUserIds, updateQueue } from './members.ts';
