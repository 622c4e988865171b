export { App, type ConsoleEnv, type Me } from './app.tsx';
