export { seedDemo, DEMO_USERS } from './seed.ts';
