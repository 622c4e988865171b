export { restRoutes } from './routes.ts';
export { directoryEntry, userDetail, queueDetail, tenantDetail } from './dto.ts';
export { toContact } from './interactions.ts';
export { Id, IdParams } from './schemas.ts';
