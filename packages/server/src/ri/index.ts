export { riRoutes, RI_APIS } from './routes.ts';
