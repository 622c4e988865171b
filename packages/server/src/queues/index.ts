export type { QueueRecord, QueueMember, QueueInput } from './queues.ts';
export {
  listQueues,
  findQueue,
  listQueuesOfUser,
  createQueue,
  setQueueAddresses,
  findQueueByAddress,
  setMembership,
  removeMembership,
  listMembers,
  toWireQueue,
  AddressTakenError,
} from './queues.ts';
