export type { OutboxMessage, SessionVerification } from './backend/email.js';
export {
  type BackendClient,
  type BackendClientOptions,
  type BackendUser,
  createBackendClient,
  type UserEmail,
  type UserPhone,
} from './backend/index.js';
export type { OAuthProvider, SocialConnection } from './backend/oauth.js';
export { type Connector, type ConnectorOptions, createConnector } from './connector.js';
export { GatehouseError } from './errors.js';
export { type Client, type ClientOptions, createClient, createFrontendCore, type FrontendCaller } from './frontend/index.js';
export type { Envelope, Fetch } from './http.js';
export { type Page, paginate } from './paginate.js';
export * from './verify.js';
