export { seedDemo, DEMO_USERS } from './seed.ts';
export { demoProviderRoutes, UNREACHABLE_NUMBER, type HandsetMessage } from './provider.ts';
export { CaptureRelay, mailboxRoutes, type MailboxMessage } from './mailbox.ts';
export { demoPageRoutes } from './pages.ts';
export { startupBanner } from './banner.ts';
export { HandsetDevice } from './handset-client.ts';
