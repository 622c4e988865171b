/**
 * What the REST API returns. snake_case on the wire, like the host protocol.
 */
import type { QueueRecord } from '../queues/index.ts';
import type { Tenant } from '../tenants/index.ts';
import { rightsOf, type UserRecord } from '../users/index.ts';

/** What every user may see of a colleague (transfer lists, directories). */
export function directoryEntry(user: UserRecord) {
  return { id: user.id, username: user.username, display_name: user.displayName, work_status: user.workStatus };
}

/** What supervisors and admins see of a user. */
export function userDetail(user: UserRecord) {
  return {
    ...directoryEntry(user),
    email: user.email,
    role: user.role,
    rights: rightsOf(user.role),
    oauth_subject: user.oauthSubject,
    language: user.language,
    presence: user.presenceProfileId,
    not_ready_reason: user.notReadyReasonId,
    capacity: user.capacity,
  };
}

export function queueDetail(queue: QueueRecord) {
  return {
    id: queue.id,
    name: queue.name,
    type: queue.channel,
    addresses: queue.addresses.map((address) => ({ address })),
    priority: queue.priority,
    offer_timeout_s: queue.offerTimeoutSeconds,
    wrapup_s: queue.wrapupSeconds,
    skills: queue.skills,
    overflow_queue_id: queue.overflowQueueId,
    overflow_after_s: queue.overflowAfterSeconds,
    sl_threshold_s: queue.slThresholdSeconds,
  };
}

export function tenantDetail(tenant: Tenant, baseUrl: string) {
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    base_url: baseUrl,
    allowed_origins: tenant.allowedOrigins,
    oauth_issuers: tenant.oauthIssuers,
    settings: tenant.settings,
  };
}
