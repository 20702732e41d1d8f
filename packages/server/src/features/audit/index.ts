export { type AuditActor, type AuditEventInput, actorOf, recordEvent } from './record.js';
